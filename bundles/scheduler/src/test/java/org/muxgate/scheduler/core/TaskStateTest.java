package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.muxgate.api.scheduler.TaskState.HEAVY;
import static org.muxgate.api.scheduler.TaskState.KILLED;
import static org.muxgate.api.scheduler.TaskState.QUEUED;
import static org.muxgate.api.scheduler.TaskState.RUNNING;
import static org.muxgate.api.scheduler.TaskState.SELF_WAKING;
import static org.muxgate.api.scheduler.TaskState.SHARED_WQ;
import static org.muxgate.api.scheduler.TaskState.USR1;
import static org.muxgate.api.scheduler.TaskState.USR2;
import static org.muxgate.api.scheduler.TaskState.USR3;
import static org.muxgate.api.scheduler.TaskState.WOKEN_ANY;
import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_IO;
import static org.muxgate.api.scheduler.TaskState.WOKEN_MSG;
import static org.muxgate.api.scheduler.TaskState.WOKEN_OTHER;
import static org.muxgate.api.scheduler.TaskState.WOKEN_RES;
import static org.muxgate.api.scheduler.TaskState.WOKEN_SIGNAL;
import static org.muxgate.api.scheduler.TaskState.WOKEN_TIMER;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.Test;
import org.muxgate.api.scheduler.Schedulable;

/** The state word: wake reasons, persistent user flags, RUNNING. */
public class TaskStateTest extends SchedulerTestSupport {

    private static final int[] REASONS = {WOKEN_INIT, WOKEN_TIMER, WOKEN_IO, WOKEN_SIGNAL, WOKEN_MSG, WOKEN_RES,
        WOKEN_OTHER};
    private static final int USER_FLAGS = USR1 | USR2 | USR3;

    /** Each run receives the reason of the wakeup that caused it, and only that one: reasons are cleared. */
    @Test
    public void processReceivesTheReasonsOfItsWakeup() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder taskRuns = new Recorder(scheduler);
        Recorder taskletRuns = new Recorder(scheduler);
        for (Schedulable task : new Schedulable[] {scheduler.newTask(1, taskRuns, null),
            scheduler.newTasklet(0, taskletRuns, null)}) {
            Recorder recorder = task instanceof TimerTask ? taskRuns : taskletRuns;
            for (int i = 0; i < REASONS.length; i++) {
                task.wakeup(REASONS[i]);
                assertEquals("reasons of run " + i, REASONS[i], recorder.awaitRuns(i + 1).state() & WOKEN_ANY);
            }
            sync(scheduler, 0);
            assertEquals("reasons left after the runs", 0, task.state() & WOKEN_ANY);
        }
    }

    /** The reasons of several wakeups before a run accumulate into that one run. */
    @Test
    public void reasonsOfWakeupsBeforeARunAccumulateIntoOneRun() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder taskRuns = new Recorder(scheduler);
        Recorder taskletRuns = new Recorder(scheduler);
        Schedulable task = scheduler.newTask(1, taskRuns, null);
        Schedulable tasklet = scheduler.newTasklet(0, taskletRuns, null);
        Gate gate = block(scheduler, 0);
        for (Schedulable s : new Schedulable[] {task, tasklet}) {
            s.wakeup(WOKEN_IO);
            s.wakeup(WOKEN_MSG);
            s.wakeup(WOKEN_SIGNAL | WOKEN_RES);
            assertEquals(WOKEN_IO | WOKEN_MSG | WOKEN_SIGNAL | WOKEN_RES, s.state() & WOKEN_ANY);
        }
        gate.release();
        for (Recorder recorder : new Recorder[] {taskRuns, taskletRuns}) {
            assertEquals(WOKEN_IO | WOKEN_MSG | WOKEN_SIGNAL | WOKEN_RES, recorder.awaitRuns(1).state() & WOKEN_ANY);
        }
        quietPeriod(scheduler);
        assertEquals(1, taskRuns.count());
        assertEquals(1, taskletRuns.count());
    }

    /** USR1..USR3, from creation or setFlags, survive runs until clearFlags. */
    @Test
    public void userFlagsSurviveRunsUntilCleared() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder recorder = new Recorder(scheduler);
        Schedulable task = scheduler.newTask(1, USR1, recorder, null);
        task.setFlags(USR2 | USR3);
        assertEquals(USER_FLAGS, task.state() & USER_FLAGS);

        task.wakeup(WOKEN_MSG);
        assertEquals(USER_FLAGS, recorder.awaitRuns(1).state() & USER_FLAGS);
        task.wakeup(WOKEN_MSG);
        assertEquals(USER_FLAGS, recorder.awaitRuns(2).state() & USER_FLAGS);
        sync(scheduler, 0);
        assertEquals(USER_FLAGS, task.state() & USER_FLAGS);

        task.clearFlags(USR1 | USR3);
        assertEquals(USR2, task.state() & USER_FLAGS);
        task.wakeup(WOKEN_MSG);
        assertEquals(USR2, recorder.awaitRuns(3).state() & USER_FLAGS);
        sync(scheduler, 0);
        assertEquals(USR2, task.state() & USER_FLAGS);
    }

    /** A task may set and clear its own user flags while it runs; they are in the state of its next run. */
    @Test
    public void aTaskMaySetItsFlagsWhileItRuns() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder recorder = new Recorder(scheduler, (t, ctx, state) -> {
            if ((state & USR1) == 0) {
                t.setFlags(USR1);
            } else {
                t.clearFlags(USR1);
            }
            return t;
        });
        Schedulable task = scheduler.newTasklet(0, recorder, null);
        for (int run = 1; run <= 4; run++) {
            task.wakeup(WOKEN_MSG);
            assertEquals("run " + run, run % 2 == 0 ? USR1 : 0, recorder.awaitRuns(run).state() & USR1);
        }
    }

    /** setFlags and clearFlags reject every bit a user may not set, leaving the state unchanged. */
    @Test
    public void flagsUsersMayNotSetAreRejected() {
        TaskScheduler scheduler = newScheduler(2);
        for (Schedulable task : new Schedulable[] {scheduler.newTask(1, KEEP, null),
            scheduler.newTask(3, KEEP, null), scheduler.newTasklet(0, KEEP, null)}) {
            int before = task.state();
            for (int bit : new int[] {RUNNING, QUEUED, KILLED, SHARED_WQ, WOKEN_INIT, WOKEN_TIMER, 1 << 30,
                USR1 | RUNNING}) {
                assertThrows(IllegalArgumentException.class, () -> task.setFlags(bit));
                assertThrows(IllegalArgumentException.class, () -> task.clearFlags(bit));
            }
            assertEquals(before, task.state());
            task.setFlags(SELF_WAKING | HEAVY | USR1 | USR2 | USR3);
            task.clearFlags(SELF_WAKING | HEAVY | USR1 | USR2 | USR3);
            assertEquals(before, task.state());
        }
    }

    /** RUNNING is set in state() while the process callback runs, and only then. */
    @Test
    public void runningIsSetWhileProcessRuns() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder taskRuns = new Recorder(scheduler);
        Recorder taskletRuns = new Recorder(scheduler);
        Schedulable task = scheduler.newTask(1, taskRuns, null);
        Schedulable tasklet = scheduler.newTasklet(0, taskletRuns, null);
        assertEquals(0, task.state() & RUNNING);
        task.wakeup(WOKEN_INIT);
        tasklet.wakeup(WOKEN_INIT);
        assertEquals(RUNNING, taskRuns.awaitRuns(1).stateInside() & (RUNNING | QUEUED));
        assertEquals(RUNNING, taskletRuns.awaitRuns(1).stateInside() & (RUNNING | QUEUED));
        sync(scheduler, 0);
        assertEquals(0, task.state() & (RUNNING | QUEUED));
        assertEquals(0, tasklet.state() & (RUNNING | QUEUED));
    }

    /** The process callback receives the context of the moment the task is picked: null once detached. */
    @Test
    public void processReceivesTheContextOfTheMomentItRuns() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        List<Object> contexts = Collections.synchronizedList(new ArrayList<>());
        Recorder recorder = new Recorder(scheduler, (t, ctx, state) -> {
            contexts.add(ctx);
            return t;
        });
        Schedulable task = scheduler.newTask(1, recorder, "first");
        task.wakeup(WOKEN_INIT);
        recorder.awaitRuns(1);
        task.setContext("second");
        task.wakeup(WOKEN_MSG);
        recorder.awaitRuns(2);
        Gate gate = block(scheduler, 0);
        task.wakeup(WOKEN_MSG);
        task.setContext(null);
        gate.release();
        recorder.awaitRuns(3);
        assertEquals(Arrays.asList("first", "second", null), contexts);
    }

    /** A woken task is QUEUED until it runs. */
    @Test
    public void aWokenTaskIsQueuedUntilItRuns() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder recorder = new Recorder(scheduler);
        Schedulable task = scheduler.newTask(1, recorder, null);
        Gate gate = block(scheduler, 0);
        task.wakeup(WOKEN_MSG);
        assertEquals(QUEUED, task.state() & (QUEUED | RUNNING));
        gate.release();
        recorder.awaitRuns(1);
        sync(scheduler, 0);
        assertEquals(0, task.state() & (QUEUED | RUNNING));
    }
}
