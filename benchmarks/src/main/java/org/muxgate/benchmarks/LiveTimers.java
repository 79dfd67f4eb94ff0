package org.muxgate.benchmarks;

import static org.muxgate.benchmarks.Timers.BATCH;
import static org.muxgate.benchmarks.Timers.LIVE;
import static org.muxgate.benchmarks.Timers.LIVE_TIMEOUT_MS;
import static org.muxgate.benchmarks.Timers.PASSES;
import static org.muxgate.benchmarks.Timers.SHORT_TIMEOUT_MS;
import static org.muxgate.benchmarks.Timers.check;

import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Task;
import org.muxgate.scheduler.core.TaskScheduler;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.netty.channel.DefaultEventLoop;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The timer benchmarks' states: for each implementation, {@value Timers#LIVE} live
 * timers due in {@value Timers#LIVE_TIMEOUT_MS} ms (plus a jitter under 1 s), and the
 * two workloads as batches of {@value Timers#BATCH} operations.
 *
 * <ul>
 * <li>re-arm: push one live timer's expiry forward (a refreshed I/O timeout), each
 *     live timer {@value Timers#PASSES} times per batch, in passes over a fixed random order;</li>
 * <li>arm-then-cancel: arm a timer due in {@value Timers#SHORT_TIMEOUT_MS} ms and cancel it at once.</li>
 * </ul>
 *
 * <p>Every state checks in its trial tear-down that no timer fired, that every
 * operation took effect, and that the live timers are all still there.
 */
public final class LiveTimers {

    private LiveTimers() {
    }

    /**
     * Muxgate: single-thread tasks (no SHARED_WQ) in the wait queue of worker 0.
     * Their queue may only be touched by that worker, so each batch runs there
     * while the JMH thread waits.
     */
    @State(Scope.Benchmark)
    public static class Muxgate {
        MuxWorker worker;
        TaskScheduler scheduler;
        Task[] timers;
        /** Armed then disarmed by the arm-then-cancel workload. */
        Task probe;
        int[] order;
        long[] jitter;
        long armedAt;
        /** Written on worker 0, read after stop() joined it. */
        long fired;
        long rearms;
        long armCancels;
        long rearmInvocations;
        long armCancelInvocations;
        final Runnable rearmBatch = this::rearmBatch;
        final Runnable armCancelBatch = this::armCancelBatch;

        @Setup(Level.Trial)
        public void setUp() {
            worker = new MuxWorker("timers", 1);
            scheduler = worker.scheduler;
            order = Timers.order();
            jitter = Timers.jitter();
            timers = new Task[LIVE];
            worker.run(this::armLiveTimers);
            Steady.settle();
        }

        private void armLiveTimers() {
            long now = scheduler.now();
            armedAt = now;
            for (int i = 0; i < LIVE; i++) {
                Task t = scheduler.newTask(1L, this::fired, null);
                t.setExpire(now + LIVE_TIMEOUT_MS + jitter[i]);
                t.queue();
                timers[i] = t;
            }
            probe = scheduler.newTask(1L, this::fired, null);
        }

        private Schedulable fired(Schedulable self, Object context, int state) {
            fired++;
            ((Task) self).setExpire(Task.ETERNITY);
            return self;
        }

        private void rearmBatch() {
            TaskScheduler s = scheduler;
            Task[] timers = this.timers;
            int[] order = this.order;
            long[] jitter = this.jitter;
            for (int pass = 0; pass < PASSES; pass++) {
                for (int k = 0; k < LIVE; k++) {
                    int i = order[k];
                    Task t = timers[i];
                    t.setExpire(s.now() + LIVE_TIMEOUT_MS + jitter[i]);
                    t.queue();
                }
            }
            rearms += BATCH;
        }

        private void armCancelBatch() {
            TaskScheduler s = scheduler;
            Task t = probe;
            for (int k = 0; k < BATCH; k++) {
                t.setExpire(s.now() + SHORT_TIMEOUT_MS);
                t.queue();
                t.unlinkWaitQueue();
            }
            armCancels += BATCH;
        }

        long rearm() {
            rearmInvocations++;
            worker.run(rearmBatch);
            return rearms;
        }

        long armCancel() {
            armCancelInvocations++;
            worker.run(armCancelBatch);
            return armCancels;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            worker.stop();
            scheduler.checkConsistency();
            check(fired == 0, "muxgate: " + fired + " timers fired");
            check(rearms == rearmInvocations * BATCH, "muxgate: " + rearms + " re-arms");
            check(armCancels == armCancelInvocations * BATCH, "muxgate: " + armCancels + " arm-cancels");
            if (rearmInvocations > 0) {
                for (int i = 0; i < LIVE; i++) {
                    check(timers[i].expire() > armedAt + LIVE_TIMEOUT_MS + jitter[i],
                            "muxgate: live timer " + i + " was not pushed forward");
                }
            }
            if (armCancelInvocations > 0) {
                check(probe.expire() > armedAt + SHORT_TIMEOUT_MS && probe.expire() != Task.ETERNITY,
                        "muxgate: the probe timer was not armed");
            }
        }
    }

    /**
     * Netty HashedWheelTimer: any thread arms and cancels, its worker thread moves
     * new and cancelled timeouts into and out of the wheel every tick. A timeout
     * cannot be moved: it is refreshed by cancelling it and creating another.
     */
    @State(Scope.Benchmark)
    public static class NettyWheel {
        HashedWheelTimer timer;
        Timeout[] timeouts;
        int[] order;
        long[] jitter;
        final AtomicLong fired = new AtomicLong();
        final io.netty.util.TimerTask task = timeout -> fired.incrementAndGet();
        long cancels;
        long ops;

        @Setup(Level.Trial)
        public void setUp() {
            timer = new HashedWheelTimer(new DefaultThreadFactory("wheel"), Timers.WHEEL_TICK_MS,
                    TimeUnit.MILLISECONDS, Timers.WHEEL_SIZE);
            timer.start();
            order = Timers.order();
            jitter = Timers.jitter();
            timeouts = new Timeout[LIVE];
            for (int i = 0; i < LIVE; i++) {
                timeouts[i] = timer.newTimeout(task, LIVE_TIMEOUT_MS + jitter[i], TimeUnit.MILLISECONDS);
            }
            Steady.settle();
        }

        long rearm() {
            HashedWheelTimer timer = this.timer;
            Timeout[] timeouts = this.timeouts;
            int[] order = this.order;
            long[] jitter = this.jitter;
            int cancelled = 0;
            for (int pass = 0; pass < PASSES; pass++) {
                for (int k = 0; k < LIVE; k++) {
                    int i = order[k];
                    if (timeouts[i].cancel()) {
                        cancelled++;
                    }
                    timeouts[i] = timer.newTimeout(task, LIVE_TIMEOUT_MS + jitter[i], TimeUnit.MILLISECONDS);
                }
            }
            ops += BATCH;
            cancels += cancelled;
            return cancels;
        }

        long armCancel() {
            HashedWheelTimer timer = this.timer;
            int cancelled = 0;
            for (int k = 0; k < BATCH; k++) {
                if (timer.newTimeout(task, SHORT_TIMEOUT_MS, TimeUnit.MILLISECONDS).cancel()) {
                    cancelled++;
                }
            }
            ops += BATCH;
            cancels += cancelled;
            return cancels;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            long pending = timer.pendingTimeouts();
            Set<Timeout> left = timer.stop();
            check(fired.get() == 0, "netty wheel: " + fired.get() + " timeouts fired");
            check(cancels == ops, "netty wheel: " + cancels + " of " + ops + " cancels took effect");
            check(left.size() == LIVE, "netty wheel: " + left.size() + " live timeouts left, "
                    + pending + " pending before stop");
        }
    }

    /**
     * Netty DefaultEventLoop.schedule(): a heap of scheduled tasks touched directly
     * only from the loop's thread, so each batch runs there while the JMH thread waits.
     */
    @State(Scope.Benchmark)
    public static class NettyLoop {
        DefaultEventLoop loop;
        OnThread onLoop;
        ScheduledFuture<?>[] futures;
        int[] order;
        long[] jitter;
        /** Written on the loop thread, read after its shutdown. */
        long fired;
        final Runnable noop = () -> fired++;
        long cancels;
        long ops;
        final Runnable rearmBatch = this::rearmBatch;
        final Runnable armCancelBatch = this::armCancelBatch;

        @Setup(Level.Trial)
        public void setUp() {
            loop = new DefaultEventLoop(new DefaultThreadFactory("loop"));
            onLoop = new OnThread(loop);
            order = Timers.order();
            jitter = Timers.jitter();
            futures = new ScheduledFuture<?>[LIVE];
            onLoop.run(() -> {
                for (int i = 0; i < LIVE; i++) {
                    futures[i] = loop.schedule(noop, LIVE_TIMEOUT_MS + jitter[i], TimeUnit.MILLISECONDS);
                }
            });
            Steady.settle();
        }

        private void rearmBatch() {
            DefaultEventLoop loop = this.loop;
            ScheduledFuture<?>[] futures = this.futures;
            int[] order = this.order;
            long[] jitter = this.jitter;
            int cancelled = 0;
            for (int pass = 0; pass < PASSES; pass++) {
                for (int k = 0; k < LIVE; k++) {
                    int i = order[k];
                    if (futures[i].cancel(false)) {
                        cancelled++;
                    }
                    futures[i] = loop.schedule(noop, LIVE_TIMEOUT_MS + jitter[i], TimeUnit.MILLISECONDS);
                }
            }
            ops += BATCH;
            cancels += cancelled;
        }

        private void armCancelBatch() {
            DefaultEventLoop loop = this.loop;
            int cancelled = 0;
            for (int k = 0; k < BATCH; k++) {
                if (loop.schedule(noop, SHORT_TIMEOUT_MS, TimeUnit.MILLISECONDS).cancel(false)) {
                    cancelled++;
                }
            }
            ops += BATCH;
            cancels += cancelled;
        }

        long rearm() {
            onLoop.run(rearmBatch);
            return cancels;
        }

        long armCancel() {
            onLoop.run(armCancelBatch);
            return cancels;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            int[] live = new int[1];
            onLoop.run(() -> {
                for (ScheduledFuture<?> f : futures) {
                    if (!f.isDone()) {
                        live[0]++;
                    }
                }
            });
            loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            check(fired == 0, "netty loop: " + fired + " scheduled tasks fired");
            check(cancels == ops, "netty loop: " + cancels + " of " + ops + " cancels took effect");
            check(live[0] == LIVE, "netty loop: " + live[0] + " live timers left");
        }
    }

    /**
     * JDK ScheduledThreadPoolExecutor, one thread, remove-on-cancel (without it every
     * cancelled timer stays in the queue until its date). Thread-safe: the JMH thread
     * arms and cancels directly, as an I/O thread would.
     */
    @State(Scope.Benchmark)
    public static class Stpe {
        ScheduledThreadPoolExecutor executor;
        java.util.concurrent.ScheduledFuture<?>[] futures;
        int[] order;
        long[] jitter;
        final AtomicLong fired = new AtomicLong();
        final Runnable noop = fired::incrementAndGet;
        long cancels;
        long ops;

        @Setup(Level.Trial)
        public void setUp() {
            executor = new ScheduledThreadPoolExecutor(1);
            executor.setRemoveOnCancelPolicy(true);
            executor.prestartAllCoreThreads();
            order = Timers.order();
            jitter = Timers.jitter();
            futures = new java.util.concurrent.ScheduledFuture<?>[LIVE];
            for (int i = 0; i < LIVE; i++) {
                futures[i] = executor.schedule(noop, LIVE_TIMEOUT_MS + jitter[i], TimeUnit.MILLISECONDS);
            }
            Steady.settle();
        }

        long rearm() {
            ScheduledThreadPoolExecutor executor = this.executor;
            java.util.concurrent.ScheduledFuture<?>[] futures = this.futures;
            int[] order = this.order;
            long[] jitter = this.jitter;
            int cancelled = 0;
            for (int pass = 0; pass < PASSES; pass++) {
                for (int k = 0; k < LIVE; k++) {
                    int i = order[k];
                    if (futures[i].cancel(false)) {
                        cancelled++;
                    }
                    futures[i] = executor.schedule(noop, LIVE_TIMEOUT_MS + jitter[i], TimeUnit.MILLISECONDS);
                }
            }
            ops += BATCH;
            cancels += cancelled;
            return cancels;
        }

        long armCancel() {
            ScheduledThreadPoolExecutor executor = this.executor;
            int cancelled = 0;
            for (int k = 0; k < BATCH; k++) {
                if (executor.schedule(noop, SHORT_TIMEOUT_MS, TimeUnit.MILLISECONDS).cancel(false)) {
                    cancelled++;
                }
            }
            ops += BATCH;
            cancels += cancelled;
            return cancels;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            int queued = executor.getQueue().size();
            executor.shutdownNow();
            check(executor.awaitTermination(5, TimeUnit.SECONDS), "STPE did not terminate");
            check(fired.get() == 0, "STPE: " + fired.get() + " timers fired");
            check(cancels == ops, "STPE: " + cancels + " of " + ops + " cancels took effect");
            check(queued == LIVE, "STPE: " + queued + " timers queued, expected " + LIVE);
        }
    }
}
