package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.muxgate.api.scheduler.TaskState.WOKEN_MSG;

import org.junit.Test;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.TaskProcess;

/** Per-task counters: calls always, CPU time and latency only when profiling. */
public class ProfilingTest extends SchedulerTestSupport {

    /** CPU time each run spends at least, and the least latency of each run. */
    private static final long BUSY_NANOS = 200_000;
    private static final long LATENCY_NANOS = 1_000_000;
    private static final TaskProcess BUSY = (t, ctx, state) -> {
        spinFor(BUSY_NANOS);
        return t;
    };

    /** With profiling, calls, cpuNanos and latencyNanos grow with each run, for tasks and tasklets. */
    @Test
    public void profilingMeasuresCallsCpuAndLatency() throws Exception {
        TaskScheduler scheduler = started(newScheduler(1, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, true,
                ParkingPoller.FACTORY));
        Recorder taskRuns = new Recorder(scheduler, BUSY);
        Recorder taskletRuns = new Recorder(scheduler, BUSY);
        for (Schedulable task : new Schedulable[] {scheduler.newTask(1, taskRuns, null),
            scheduler.newTasklet(0, taskletRuns, null)}) {
            Recorder recorder = task instanceof TimerTask ? taskRuns : taskletRuns;
            long cpu = 0;
            long latency = 0;
            for (int run = 1; run <= 2; run++) {
                runDelayed(scheduler, task, recorder, run);
                assertEquals(run, task.calls());
                assertTrue("cpu " + task.cpuNanos() + " after run " + run, task.cpuNanos() >= cpu + BUSY_NANOS);
                assertTrue("latency " + task.latencyNanos() + " after run " + run,
                        task.latencyNanos() >= latency + LATENCY_NANOS);
                cpu = task.cpuNanos();
                latency = task.latencyNanos();
            }
        }
    }

    /** Without profiling, calls grows and cpuNanos and latencyNanos stay 0. */
    @Test
    public void withoutProfilingOnlyCallsAreCounted() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder taskRuns = new Recorder(scheduler, BUSY);
        Recorder taskletRuns = new Recorder(scheduler, BUSY);
        for (Schedulable task : new Schedulable[] {scheduler.newTask(1, taskRuns, null),
            scheduler.newTasklet(0, taskletRuns, null)}) {
            Recorder recorder = task instanceof TimerTask ? taskRuns : taskletRuns;
            for (int run = 1; run <= 2; run++) {
                runDelayed(scheduler, task, recorder, run);
                assertEquals(run, task.calls());
                assertEquals(0, task.cpuNanos());
                assertEquals(0, task.latencyNanos());
            }
        }
    }

    /**
     * Wakes the task while its thread is held for at least {@link #LATENCY_NANOS}, then
     * waits for its run number {@code run} and syncs with the thread so that the
     * counters, updated after the run, are visible.
     */
    private void runDelayed(TaskScheduler scheduler, Schedulable task, Recorder recorder, int run)
            throws Exception {
        Gate gate = block(scheduler, 0);
        task.wakeup(WOKEN_MSG);
        spinFor(LATENCY_NANOS);
        gate.release();
        recorder.awaitRuns(run);
        sync(scheduler, 0);
    }
}
