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
 * Workload 1: one thread running a job that reschedules itself, one slice at a
 * time. An operation is one run of the job. Each invocation hands the first wakeup
 * to the thread and waits until the job has run {@link #RUNS} times.
 *
 * <ul>
 * <li>muxgate: a tasklet that calls {@code wakeup()} on itself from its process callback;</li>
 * <li>nettyDefaultEventLoop: a Runnable that {@code execute()}s itself again on its loop;</li>
 * <li>stpe: the same on a single-thread ScheduledThreadPoolExecutor.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SelfWakeBenchmark {

    static final int RUNS = 1_000_000;

    @State(Scope.Benchmark)
    public static class Muxgate {
        TaskScheduler scheduler;
        Tasklet tasklet;
        final Waiter waiter = new Waiter();
        /** Runs left in this invocation: set by the JMH thread before the wakeup, then the worker's. */
        int remaining;
        long runs;
        long invocations;

        @Setup(Level.Trial)
        public void setUp() {
            scheduler = new TaskScheduler("selfwake", 1, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false,
                    ParkingPoller.FACTORY);
            scheduler.start();
            tasklet = scheduler.newTasklet(0, this::process, null);
            Steady.settle();
        }

        private Schedulable process(Schedulable self, Object context, int state) {
            runs++;
            if (--remaining > 0) {
                self.wakeup(TaskState.WOKEN_OTHER);
            } else {
                waiter.complete();
            }
            return self;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            scheduler.stop();
            Timers.check(runs == invocations * RUNS, "muxgate ran " + runs + " times, expected " + invocations * RUNS);
            Timers.check(tasklet.calls() == runs, "tasklet calls " + tasklet.calls() + " != " + runs);
        }
    }

    @State(Scope.Benchmark)
    public static class Netty {
        DefaultEventLoop loop;
        final Waiter waiter = new Waiter();
        final Runnable job = this::run;
        int remaining;
        long runs;
        long invocations;

        @Setup(Level.Trial)
        public void setUp() {
            loop = new DefaultEventLoop();
            Steady.settle();
        }

        private void run() {
            runs++;
            if (--remaining > 0) {
                loop.execute(job);
            } else {
                waiter.complete();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            Timers.check(runs == invocations * RUNS, "netty ran " + runs + " times, expected " + invocations * RUNS);
        }
    }

    @State(Scope.Benchmark)
    public static class Stpe {
        ScheduledThreadPoolExecutor executor;
        final Waiter waiter = new Waiter();
        final Runnable job = this::run;
        int remaining;
        long runs;
        long invocations;

        @Setup(Level.Trial)
        public void setUp() {
            executor = new ScheduledThreadPoolExecutor(1);
            executor.prestartAllCoreThreads();
            Steady.settle();
        }

        private void run() {
            runs++;
            if (--remaining > 0) {
                executor.execute(job);
            } else {
                waiter.complete();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            executor.shutdownNow();
            Timers.check(executor.awaitTermination(5, TimeUnit.SECONDS), "STPE did not terminate");
            Timers.check(runs == invocations * RUNS, "STPE ran " + runs + " times, expected " + invocations * RUNS);
        }
    }

    @Benchmark
    @OperationsPerInvocation(RUNS)
    public long muxgate(Muxgate s) {
        s.waiter.reset();
        s.remaining = RUNS;
        s.invocations++;
        s.tasklet.wakeup(TaskState.WOKEN_MSG);
        s.waiter.await();
        return s.runs;
    }

    @Benchmark
    @OperationsPerInvocation(RUNS)
    public long nettyDefaultEventLoop(Netty s) {
        s.waiter.reset();
        s.remaining = RUNS;
        s.invocations++;
        s.loop.execute(s.job);
        s.waiter.await();
        return s.runs;
    }

    @Benchmark
    @OperationsPerInvocation(RUNS)
    public long stpe(Stpe s) {
        s.waiter.reset();
        s.remaining = RUNS;
        s.invocations++;
        s.executor.execute(s.job);
        s.waiter.await();
        return s.runs;
    }
}
