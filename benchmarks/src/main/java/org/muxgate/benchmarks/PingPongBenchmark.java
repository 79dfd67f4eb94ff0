package org.muxgate.benchmarks;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.scheduler.Tasklet;
import org.muxgate.scheduler.core.ParkingPoller;
import org.muxgate.scheduler.core.TaskScheduler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.netty.channel.DefaultEventLoop;

/**
 * Workload 2: cross-thread ping-pong. An operation is one round trip: a job on
 * thread A wakes a job on thread B, which wakes the one on A again. Each
 * invocation starts the ball and waits for {@link #ROUND_TRIPS} round trips.
 *
 * <ul>
 * <li>muxgate: two tasklets, on threads 0 and 1 of a 2-thread scheduler, waking each other;</li>
 * <li>nettyDefaultEventLoop: two DefaultEventLoops {@code execute()}ing a Runnable on each other;</li>
 * <li>stpe: the same with two single-thread ScheduledThreadPoolExecutors.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class PingPongBenchmark {

    static final int ROUND_TRIPS = 10_000;

    @State(Scope.Benchmark)
    public static class Muxgate {
        TaskScheduler scheduler;
        Tasklet ping;
        Tasklet pong;
        final Waiter waiter = new Waiter();
        /** Round trips left: set by the JMH thread before the first wakeup, then ping's. */
        int remaining;
        /** Pong's runs: one per round trip. */
        long pongs;
        long invocations;

        @Setup(Level.Trial)
        public void setUp() {
            scheduler = new TaskScheduler("pingpong", 2, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false,
                    ParkingPoller.FACTORY);
            scheduler.start();
            ping = scheduler.newTasklet(0, this::ping, null);
            pong = scheduler.newTasklet(1, this::pong, null);
            Steady.settle();
        }

        private Schedulable ping(Schedulable self, Object context, int state) {
            if (remaining-- > 0) {
                pong.wakeup(TaskState.WOKEN_MSG);
            } else {
                waiter.complete();
            }
            return self;
        }

        private Schedulable pong(Schedulable self, Object context, int state) {
            pongs++;
            ping.wakeup(TaskState.WOKEN_MSG);
            return self;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            scheduler.stop();
            long expected = invocations * ROUND_TRIPS;
            Timers.check(pongs == expected, "muxgate: " + pongs + " round trips, expected " + expected);
            Timers.check(ping.calls() == expected + invocations, "muxgate: ping ran " + ping.calls() + " times");
        }
    }

    /** Two single-thread executors exchanging two Runnables. */
    abstract static class Pair {
        final Waiter waiter = new Waiter();
        final Runnable ping = this::ping;
        final Runnable pong = this::pong;
        int remaining;
        long pongs;
        long invocations;

        abstract void onA(Runnable r);

        abstract void onB(Runnable r);

        private void ping() {
            if (remaining-- > 0) {
                onB(pong);
            } else {
                waiter.complete();
            }
        }

        private void pong() {
            pongs++;
            onA(ping);
        }

        long roundTrips() {
            waiter.reset();
            remaining = ROUND_TRIPS;
            invocations++;
            onA(ping);
            waiter.await();
            return pongs;
        }

        void verify(String name) {
            long expected = invocations * ROUND_TRIPS;
            Timers.check(pongs == expected, name + ": " + pongs + " round trips, expected " + expected);
        }
    }

    @State(Scope.Benchmark)
    public static class Netty extends Pair {
        DefaultEventLoop a;
        DefaultEventLoop b;

        @Setup(Level.Trial)
        public void setUp() {
            a = new DefaultEventLoop();
            b = new DefaultEventLoop();
            Steady.settle();
        }

        @Override
        void onA(Runnable r) {
            a.execute(r);
        }

        @Override
        void onB(Runnable r) {
            b.execute(r);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            a.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            b.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            verify("netty");
        }
    }

    @State(Scope.Benchmark)
    public static class Stpe extends Pair {
        ScheduledThreadPoolExecutor a;
        ScheduledThreadPoolExecutor b;

        @Setup(Level.Trial)
        public void setUp() {
            a = new ScheduledThreadPoolExecutor(1);
            b = new ScheduledThreadPoolExecutor(1);
            a.prestartAllCoreThreads();
            b.prestartAllCoreThreads();
            Steady.settle();
        }

        @Override
        void onA(Runnable r) {
            a.execute(r);
        }

        @Override
        void onB(Runnable r) {
            b.execute(r);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            a.shutdownNow();
            b.shutdownNow();
            Timers.check(a.awaitTermination(5, TimeUnit.SECONDS) && b.awaitTermination(5, TimeUnit.SECONDS),
                    "STPE did not terminate");
            verify("STPE");
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long muxgate(Muxgate s) {
        s.waiter.reset();
        s.remaining = ROUND_TRIPS;
        s.invocations++;
        s.ping.wakeup(TaskState.WOKEN_MSG);
        s.waiter.await();
        return s.pongs;
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long nettyDefaultEventLoop(Netty s) {
        return s.roundTrips();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long stpe(Stpe s) {
        return s.roundTrips();
    }
}
