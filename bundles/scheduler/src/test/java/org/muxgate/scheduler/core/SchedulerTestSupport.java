package org.muxgate.scheduler.core;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_OTHER;
import static org.muxgate.api.scheduler.TaskState.WOKEN_TIMER;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.muxgate.api.scheduler.PollerFactory;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.scheduler.Tasklet;

/**
 * What the scheduler tests share: schedulers stopped and checked after each test,
 * gates that hold a worker thread, ways to run code on a worker thread, and a
 * recording process callback.
 *
 * <p>Timing rules: "it happens" is awaited for {@link #TIMEOUT_MS}; "it never
 * happens" is watched for {@link #QUIET_MS} only after proving that the scheduler
 * went past the point where it would have happened.
 */
public abstract class SchedulerTestSupport {

    /** How long a test waits for something that must happen. */
    static final long TIMEOUT_MS = 10_000;
    /** How long a test watches for something that must not happen, once progress is proven. */
    static final long QUIET_MS = 200;
    /** How late a timer may fire on a busy machine. */
    static final long LATE_TOLERANCE_MS = 2_000;

    /** Body: keeps the task alive, doing nothing. */
    protected static final TaskProcess KEEP = (t, ctx, state) -> t;
    /** Body: ends the task on its timer run, keeps it alive otherwise. */
    protected static final TaskProcess END_ON_TIMER = (t, ctx, state) -> (state & WOKEN_TIMER) != 0 ? null : t;

    private final List<TaskScheduler> schedulers = new ArrayList<>();
    private final List<Gate> gates = new ArrayList<>();

    /** A scheduler with the default depth, no profiling and parking pollers; not started. */
    protected TaskScheduler newScheduler(int threads) {
        return newScheduler(threads, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false, ParkingPoller.FACTORY);
    }

    /** A scheduler stopped and checked after the test; not started. */
    protected TaskScheduler newScheduler(int threads, int runQueueDepth, boolean profiling, PollerFactory pollers) {
        TaskScheduler scheduler = new TaskScheduler("test", threads, runQueueDepth, profiling, pollers);
        schedulers.add(scheduler);
        return scheduler;
    }

    /** A started scheduler with the default settings. */
    protected TaskScheduler startScheduler(int threads) {
        return started(newScheduler(threads));
    }

    protected static TaskScheduler started(TaskScheduler scheduler) {
        scheduler.start();
        return scheduler;
    }

    /** Releases every gate, stops every scheduler, then checks the queues of each. */
    @After
    public final void stopSchedulers() {
        gates.forEach(Gate::release);
        for (TaskScheduler scheduler : schedulers) {
            scheduler.stop();
        }
        for (TaskScheduler scheduler : schedulers) {
            scheduler.checkConsistency();
        }
    }

    // ------------------------------------------------------------------ waiting

    protected static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue("timed out waiting for " + what, latch.await(TIMEOUT_MS, TimeUnit.MILLISECONDS));
    }

    /** Polls {@code condition} until it holds, failing after {@link #TIMEOUT_MS}. */
    protected static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Spins until System.nanoTime() moved {@code nanos} past {@code from}: makes a duration measurable. */
    protected static void spinFor(long nanos) {
        long from = System.nanoTime();
        while (System.nanoTime() - from < nanos) {
            Thread.onSpinWait();
        }
    }

    // ------------------------------------------------------------------ gates

    /**
     * Holds a worker thread inside a task until released. Every gate is released after
     * the test, and a worker never waits more than three timeouts, so a failing test
     * cannot hang the suite.
     */
    protected static final class Gate {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        /** Worker side: announces that it is in, then waits for the release. */
        public void pass() {
            entered.countDown();
            try {
                released.await(3 * TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        public void awaitEntered() throws InterruptedException {
            await(entered, "a worker thread to reach the gate");
        }

        public void release() {
            released.countDown();
        }
    }

    protected Gate newGate() {
        Gate gate = new Gate();
        gates.add(gate);
        return gate;
    }

    /** Holds worker {@code thread} in a tasklet until the gate is released; returns once it is held. */
    protected Gate block(Scheduler scheduler, int thread) throws InterruptedException {
        Gate gate = newGate();
        holder(scheduler, thread, gate).wakeup(WOKEN_OTHER);
        gate.awaitEntered();
        return gate;
    }

    /**
     * A tasklet that, once woken, holds worker {@code thread} at {@code gate}. A task
     * that wakes it holds its own thread from the same loop on: its timers cannot fire
     * before the gate is released.
     */
    protected static Tasklet holder(Scheduler scheduler, int thread, Gate gate) {
        return scheduler.newTasklet(thread, (t, ctx, state) -> {
            gate.pass();
            return null;
        }, null);
    }

    // ------------------------------------------------------------------ running code on a worker

    @FunctionalInterface
    protected interface Action {
        void run() throws Exception;
    }

    /** Runs {@code call} in a tasklet on worker {@code thread} and returns its result or rethrows its failure. */
    protected static <T> T callOn(Scheduler scheduler, int thread, Callable<T> call) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduler.newTasklet(thread, (t, ctx, state) -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
            return null;
        }, null).wakeup(WOKEN_OTHER);
        try {
            return result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("timed out running code on worker thread " + thread);
        }
    }

    protected static void runOn(Scheduler scheduler, int thread, Action action) throws Exception {
        callOn(scheduler, thread, () -> {
            action.run();
            return null;
        });
    }

    /** @return what {@code action} threw on worker {@code thread}, or null */
    protected static Throwable thrownOn(Scheduler scheduler, int thread, Action action) throws Exception {
        return callOn(scheduler, thread, () -> {
            try {
                action.run();
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
    }

    /**
     * Runs an empty tasklet on worker {@code thread}: proves the thread finished what
     * it was doing when called, and makes its writes visible to the caller.
     */
    protected static void sync(Scheduler scheduler, int thread) throws Exception {
        runOn(scheduler, thread, () -> {
        });
    }

    protected static void syncAll(Scheduler scheduler) throws Exception {
        for (int i = 0; i < scheduler.threadCount(); i++) {
            sync(scheduler, i);
        }
    }

    /** The "never happens" window: leaves the scheduler alone briefly, then syncs every thread. */
    protected static void quietPeriod(Scheduler scheduler) throws Exception {
        Thread.sleep(QUIET_MS);
        syncAll(scheduler);
    }

    /** @return worker {@code thread} itself, to watch whether it dies */
    protected static Thread workerThread(Scheduler scheduler, int thread) throws Exception {
        return callOn(scheduler, thread, Thread::currentThread);
    }

    /**
     * Waits until a tasklet runs on worker {@code thread}, failing as soon as that worker
     * is seen dead instead of after the whole timeout.
     */
    protected static void assertWorkerAlive(Scheduler scheduler, int thread, Thread worker) throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        scheduler.newTasklet(thread, (t, ctx, state) -> {
            ran.countDown();
            return null;
        }, null).wakeup(WOKEN_OTHER);
        waitUntil("a tasklet run on worker thread " + thread, () -> ran.getCount() == 0 || !worker.isAlive());
        assertTrue("worker thread " + thread + " died", ran.getCount() == 0);
    }

    /** A tasklet that wakes itself until stopped: its thread always has work, so it never sleeps. */
    protected static final class Hog {
        private volatile boolean stopped;
        private final AtomicInteger runs = new AtomicInteger();

        /** Starts the hog on worker {@code thread} and returns after its first run. */
        public Hog(Scheduler scheduler, int thread) throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            scheduler.newTasklet(thread, (t, ctx, state) -> {
                runs.incrementAndGet();
                started.countDown();
                if (stopped) {
                    return null;
                }
                t.wakeup(WOKEN_OTHER);
                return t;
            }, null).wakeup(WOKEN_INIT);
            await(started, "the hog's first run");
        }

        public int runs() {
            return runs.get();
        }

        public void stop() {
            stopped = true;
        }
    }

    // ------------------------------------------------------------------ timers

    /**
     * Arms a witness timer at {@code date} on worker {@code thread} and waits until it
     * fires: every timer of that thread due before {@code date} was woken, and its run
     * queued, before the witness ran.
     */
    protected static void awaitTimersDueBefore(Scheduler scheduler, int thread, long date) throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        scheduler.newTask(1L << thread, (t, ctx, state) -> {
            if ((state & WOKEN_TIMER) != 0) {
                fired.countDown();
                return null;
            }
            ((Task) t).setExpire(date);
            return t;
        }, null).wakeup(WOKEN_INIT);
        await(fired, "a witness timer on thread " + thread);
    }

    /** @return whether the task is in a wait queue with its timer armed, read where that queue may be read */
    protected static boolean timerArmed(TaskScheduler scheduler, Task task) throws Exception {
        TimerTask timerTask = (TimerTask) task;
        if (timerTask.usesSharedWaitQueue()) {
            synchronized (scheduler.sharedWaitQueue) {
                return timerTask.wqIndex >= 0 && timerTask.armed;
            }
        }
        return callOn(scheduler, timerTask.owner(), () -> timerTask.wqIndex >= 0 && timerTask.armed);
    }

    protected static boolean isFreed(Schedulable task) {
        return ((AbstractTask) task).isFreed();
    }

    /** Asserts that a run was caused by the task's timer, no earlier than {@code expire} and not very late. */
    protected static void assertFiredOnTime(Recorder.Run run, long expire) {
        assertTrue("not woken by its timer: state 0x" + Integer.toHexString(run.state()),
                (run.state() & WOKEN_TIMER) != 0);
        assertTrue("fired at " + run.now() + ", before its expiry " + expire, run.now() >= expire);
        assertTrue("fired " + (run.clock() - expire) + " ms after its expiry",
                run.clock() - expire < LATE_TOLERANCE_MS);
    }

    // ------------------------------------------------------------------ recording

    /**
     * A process callback that records each run, then runs an optional body (by default
     * the task stays alive). A run is recorded once its body returned or threw.
     */
    protected static final class Recorder implements TaskProcess {

        /**
         * @param thread      the worker that ran it
         * @param state       the state passed to the process callback
         * @param stateInside {@link Schedulable#state()} read at the start of the run
         * @param now         the scheduler's now() at the start of the run
         * @param clock       the scheduler clock at the start of the run
         */
        public record Run(int thread, int state, int stateInside, long now, long clock) {
        }

        private final Scheduler scheduler;
        private final TaskProcess body;
        private final List<Run> runs = new ArrayList<>();

        public Recorder(Scheduler scheduler) {
            this(scheduler, null);
        }

        public Recorder(Scheduler scheduler, TaskProcess body) {
            this.scheduler = scheduler;
            this.body = body;
        }

        @Override
        public Schedulable process(Schedulable task, Object context, int state) {
            Run run = new Run(scheduler.currentThread(), state, task.state(), scheduler.now(), TaskScheduler.clock());
            try {
                return body == null ? task : body.process(task, context, state);
            } finally {
                synchronized (this) {
                    runs.add(run);
                    notifyAll();
                }
            }
        }

        public synchronized int count() {
            return runs.size();
        }

        public synchronized List<Run> runs() {
            return new ArrayList<>(runs);
        }

        public synchronized Run run(int index) {
            return runs.get(index);
        }

        /** Waits until {@code n} runs were recorded and returns the n-th. */
        public synchronized Run awaitRuns(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (runs.size() < n) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    fail("timed out waiting for run " + n + ", got " + runs.size());
                }
                wait(left);
            }
            return runs.get(n - 1);
        }
    }
}
