package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.muxgate.api.scheduler.TaskState.QUEUED;
import static org.muxgate.api.scheduler.TaskState.RUNNING;
import static org.muxgate.api.scheduler.TaskState.WOKEN_ANY;
import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_IO;
import static org.muxgate.api.scheduler.TaskState.WOKEN_MSG;
import static org.muxgate.api.scheduler.TaskState.WOKEN_OTHER;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.TaskProcess;

/** A wakeup that arrives while the task runs makes it run exactly once more, afterwards. */
public class WakeupWhileRunningTest extends SchedulerTestSupport {

    /** Body: on the first run, wakes itself three times. */
    private static final TaskProcess WAKE_SELF_ON_FIRST_RUN = (t, ctx, state) -> {
        if ((state & WOKEN_INIT) != 0) {
            t.wakeup(WOKEN_MSG);
            t.wakeup(WOKEN_IO);
            t.wakeup(WOKEN_MSG | WOKEN_OTHER);
        }
        return t;
    };

    /** Self wakeups during a run, task or tasklet: exactly one more run, with all their reasons. */
    @Test
    public void selfWakeupsDuringARunGiveExactlyOneMoreRun() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder taskRuns = new Recorder(scheduler, WAKE_SELF_ON_FIRST_RUN);
        Recorder taskletRuns = new Recorder(scheduler, WAKE_SELF_ON_FIRST_RUN);
        scheduler.newTask(1, taskRuns, null).wakeup(WOKEN_INIT);
        scheduler.newTasklet(0, taskletRuns, null).wakeup(WOKEN_INIT);
        for (Recorder recorder : new Recorder[] {taskRuns, taskletRuns}) {
            assertEquals(WOKEN_MSG | WOKEN_IO | WOKEN_OTHER, recorder.awaitRuns(2).state() & WOKEN_ANY);
        }
        quietPeriod(scheduler);
        assertEquals(2, taskRuns.count());
        assertEquals(2, taskletRuns.count());
    }

    /**
     * Wakeups from another thread while the task runs: the task stays RUNNING and not
     * QUEUED, then runs exactly once more, with all their reasons.
     */
    @Test
    public void wakeupsFromAnotherThreadDuringARunGiveExactlyOneMoreRun() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Gate gate = newGate();
        Recorder recorder = new Recorder(scheduler, holdFirstRun(gate));
        Schedulable task = scheduler.newTask(1, recorder, null);
        task.wakeup(WOKEN_INIT);
        gate.awaitEntered();
        task.wakeup(WOKEN_MSG);
        task.wakeup(WOKEN_IO);
        task.wakeup(WOKEN_MSG);
        assertEquals(RUNNING, task.state() & (RUNNING | QUEUED));
        gate.release();
        assertEquals(WOKEN_MSG | WOKEN_IO, recorder.awaitRuns(2).state() & WOKEN_ANY);
        quietPeriod(scheduler);
        assertEquals(2, recorder.count());
    }

    /**
     * A multi-thread task woken by another worker while it runs does not start on that
     * other worker meanwhile: it runs once more, after the current run.
     */
    @Test
    public void aTaskWokenWhileRunningDoesNotRunElsewhereMeanwhile() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Gate gate = newGate();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger firstThread = new AtomicInteger(-1);
        Recorder recorder = new Recorder(scheduler, (t, ctx, state) -> {
            started.incrementAndGet();
            firstThread.compareAndSet(-1, scheduler.currentThread());
            return holdFirstRun(gate).process(t, ctx, state);
        });
        Schedulable task = scheduler.newTask(0b11, recorder, null);
        task.wakeup(WOKEN_INIT);
        gate.awaitEntered();
        int other = 1 - firstThread.get();
        for (int i = 0; i < 3; i++) {
            runOn(scheduler, other, () -> task.wakeup(WOKEN_MSG));
        }
        Thread.sleep(QUIET_MS);
        sync(scheduler, other);
        assertEquals("runs started while the first one is held", 1, started.get());
        gate.release();
        assertEquals(WOKEN_MSG, recorder.awaitRuns(2).state() & WOKEN_ANY);
        quietPeriod(scheduler);
        assertEquals(2, recorder.count());
    }

    /** Body: holds the first run (WOKEN_INIT) at the gate. */
    private static TaskProcess holdFirstRun(Gate gate) {
        return (t, ctx, state) -> {
            if ((state & WOKEN_INIT) != 0) {
                gate.pass();
            }
            return t;
        };
    }
}
