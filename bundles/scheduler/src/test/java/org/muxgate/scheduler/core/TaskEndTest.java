package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.muxgate.api.scheduler.TaskState.KILLED;
import static org.muxgate.api.scheduler.TaskState.QUEUED;
import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_MSG;

import org.junit.Test;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.Tasklet;

/** How a task ends: it returns null, frees itself, or is killed. */
public class TaskEndTest extends SchedulerTestSupport {

    /** A timer that cannot fire during a test. */
    private static final long FAR_MS = 60_000;
    private static final long DELAY_MS = 100;

    /** A task returning null is freed: it never runs again, later wakeups are ignored, its timer is disarmed. */
    @Test
    public void aTaskReturningNullNeverRunsAgain() throws Exception {
        checkEnd(false);
    }

    /** The same when the task calls free() itself before returning null. */
    @Test
    public void aTaskFreeingItselfNeverRunsAgain() throws Exception {
        checkEnd(true);
    }

    /** First run arms a far timer; the MSG run ends the task, freeing it first if asked. */
    private void checkEnd(boolean freeItself) throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder recorder = new Recorder(scheduler, (t, ctx, state) -> {
            if ((state & WOKEN_INIT) != 0) {
                ((Task) t).setExpire(scheduler.now() + FAR_MS);
                return t;
            }
            if (freeItself) {
                t.free();
            }
            return null;
        });
        Task task = scheduler.newTask(1, recorder, "context");
        task.wakeup(WOKEN_INIT);
        recorder.awaitRuns(1);
        assertTrue("timer armed by the first run", timerArmed(scheduler, task));

        task.wakeup(WOKEN_MSG);
        recorder.awaitRuns(2);
        sync(scheduler, 0);
        assertTrue(isFreed(task));
        assertFalse("timer still armed", timerArmed(scheduler, task));
        assertNull("context kept", task.context());
        task.wakeup(WOKEN_MSG);
        assertEquals("a later wakeup queued the freed task", 0, task.state() & QUEUED);
        quietPeriod(scheduler);
        assertEquals(2, recorder.count());
    }

    /** A task or tasklet freed by its creator before any wakeup never runs. */
    @Test
    public void aTaskFreedByItsCreatorNeverRuns() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder recorder = new Recorder(scheduler);
        Recorder after = new Recorder(scheduler);
        Schedulable task = scheduler.newTask(1, recorder, null);
        Schedulable tasklet = scheduler.newTasklet(0, recorder, null);
        task.free();
        tasklet.free();
        task.wakeup(WOKEN_INIT);
        tasklet.wakeup(WOKEN_INIT);
        scheduler.newTask(1, after, null).wakeup(WOKEN_INIT);
        after.awaitRuns(1);
        quietPeriod(scheduler);
        assertEquals(0, recorder.count());
    }

    /** kill() of a queued task, from another thread: it never runs. */
    @Test
    public void aKilledQueuedTaskNeverRuns() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder recorder = new Recorder(scheduler);
        Recorder after = new Recorder(scheduler);
        Task task = scheduler.newTask(1, recorder, null);
        Gate gate = block(scheduler, 0);
        task.wakeup(WOKEN_MSG);
        task.kill();
        assertEquals(KILLED, task.state() & KILLED);
        scheduler.newTask(1, after, null).wakeup(WOKEN_MSG);
        gate.release();
        after.awaitRuns(1);
        task.wakeup(WOKEN_MSG);
        quietPeriod(scheduler);
        assertEquals(0, recorder.count());
        assertTrue(isFreed(task));
    }

    /**
     * kill() of a sleeping task from another worker thread: its timer never runs it, and
     * its own thread unlinks it from its wait queue. The first run arms the timer and
     * holds its thread from the same loop, so that the timer cannot fire before kill().
     */
    @Test
    public void aKilledSleepingTaskNeverRunsAgain() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Gate gate = newGate();
        Tasklet hold = holder(scheduler, 0, gate);
        Recorder recorder = new Recorder(scheduler, (t, ctx, state) -> {
            if ((state & WOKEN_INIT) != 0) {
                ((Task) t).setExpire(scheduler.now() + DELAY_MS);
                hold.wakeup(WOKEN_MSG);
            }
            return t;
        });
        Task task = scheduler.newTask(1, recorder, null);
        task.wakeup(WOKEN_INIT);
        gate.awaitEntered();
        runOn(scheduler, 1, task::kill);
        gate.release();
        awaitTimersDueBefore(scheduler, 0, task.expire() + 1);
        task.wakeup(WOKEN_MSG);
        quietPeriod(scheduler);
        assertEquals(1, recorder.count());
        assertTrue(isFreed(task));
        assertFalse("killed task left in its wait queue", timerArmed(scheduler, task));
    }

    /** kill() of a sleeping task in the shared wait queue: it is unlinked and never runs again. */
    @Test
    public void aKilledSleepingSharedTaskIsUnlinked() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Recorder recorder = new Recorder(scheduler, (t, ctx, state) -> {
            ((Task) t).setExpire(scheduler.now() + FAR_MS);
            return t;
        });
        Task task = scheduler.newTask(0b11, recorder, null);
        task.wakeup(WOKEN_INIT);
        recorder.awaitRuns(1);
        syncAll(scheduler);
        assertEquals(1, scheduler.armedSharedTimers());
        task.kill();
        waitUntil("the killed task to be freed by a thread", () -> isFreed(task));
        syncAll(scheduler);
        assertEquals("killed task left in the shared wait queue", 0, scheduler.armedSharedTimers());
        task.wakeup(WOKEN_MSG);
        quietPeriod(scheduler);
        assertEquals(1, recorder.count());
    }

    /**
     * kill() of a running task: the run finishes, and the task never runs again, neither
     * for a wakeup received during the run nor for the timer that run set.
     */
    @Test
    public void aKilledRunningTaskFinishesItsRunOnly() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Gate gate = newGate();
        Recorder recorder = new Recorder(scheduler, (t, ctx, state) -> {
            if ((state & WOKEN_INIT) != 0) {
                gate.pass();
                ((Task) t).setExpire(scheduler.now() + DELAY_MS);
            }
            return t;
        });
        Task task = scheduler.newTask(1, recorder, null);
        task.wakeup(WOKEN_INIT);
        gate.awaitEntered();
        task.kill();
        task.wakeup(WOKEN_MSG);
        gate.release();
        recorder.awaitRuns(1);
        sync(scheduler, 0);
        assertTrue(isFreed(task));
        assertFalse("killed task's timer armed", timerArmed(scheduler, task));
        awaitTimersDueBefore(scheduler, 0, task.expire() + 1);
        quietPeriod(scheduler);
        assertEquals(1, recorder.count());
    }

    /** A killed tasklet never runs again. */
    @Test
    public void aKilledTaskletNeverRunsAgain() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Recorder recorder = new Recorder(scheduler);
        Schedulable tasklet = scheduler.newTasklet(0, recorder, null);
        tasklet.wakeup(WOKEN_MSG);
        recorder.awaitRuns(1);
        runOn(scheduler, 1, tasklet::kill);
        tasklet.wakeup(WOKEN_MSG);
        quietPeriod(scheduler);
        assertEquals(1, recorder.count());
        assertTrue(isFreed(tasklet));
    }
}
