package org.muxgate.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 4: arm-then-cancel. An operation arms a timer due in 10 s and cancels it at once (a request timeout whose response came quickly), with the live timers present: Muxgate setExpire() + queue() + unlinkWaitQueue() on the worker thread, Netty HashedWheelTimer newTimeout() + cancel(), DefaultEventLoop schedule() + cancel() on the loop thread, STPE schedule() + cancel() with remove-on-cancel.
 *
 * <p>{@value Timers#LIVE} live timers are present; each invocation is a batch of
 * {@value Timers#BATCH} operations, run on the timer's own thread where the
 * implementation requires it (Muxgate, DefaultEventLoop), on the JMH thread where
 * the implementation is thread-safe (HashedWheelTimer, STPE). See {@link LiveTimers}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TimerArmCancelBenchmark {

    @Benchmark
    @OperationsPerInvocation(Timers.BATCH)
    public long muxgate(LiveTimers.Muxgate s) {
        return s.armCancel();
    }

    @Benchmark
    @OperationsPerInvocation(Timers.BATCH)
    public long nettyHashedWheelTimer(LiveTimers.NettyWheel s) {
        return s.armCancel();
    }

    @Benchmark
    @OperationsPerInvocation(Timers.BATCH)
    public long nettyDefaultEventLoop(LiveTimers.NettyLoop s) {
        return s.armCancel();
    }

    @Benchmark
    @OperationsPerInvocation(Timers.BATCH)
    public long stpe(LiveTimers.Stpe s) {
        return s.armCancel();
    }
}
