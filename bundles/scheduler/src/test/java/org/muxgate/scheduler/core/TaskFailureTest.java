package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_MSG;

import org.junit.Test;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskProcess;

/** A process callback that throws: its task is freed, its thread goes on. */
public class TaskFailureTest extends SchedulerTestSupport {

    /** Body: arms a timer, then throws. */
    private static TaskProcess armThenThrow(TaskScheduler scheduler) {
        return (t, ctx, state) -> {
            if (t instanceof Task task) {
                task.setExpire(scheduler.now() + 50);
                task.queue();
            }
            throw new IllegalStateException("expected test failure");
        };
    }

    /**
     * A task or tasklet whose process throws is freed (its timer disarmed, later wakeups
     * ignored), and its worker thread keeps running the other tasks.
     */
    @Test
    public void aFailingTaskIsFreedAndItsThreadGoesOn() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Thread worker = workerThread(scheduler, 0);
        Recorder taskRuns = new Recorder(scheduler, armThenThrow(scheduler));
        Recorder taskletRuns = new Recorder(scheduler, armThenThrow(scheduler));
        Task task = scheduler.newTask(1, taskRuns, null);
        Schedulable tasklet = scheduler.newTasklet(0, taskletRuns, null);
        Recorder other = new Recorder(scheduler);
        Task otherTask = scheduler.newTask(1, other, null);

        task.wakeup(WOKEN_INIT);
        tasklet.wakeup(WOKEN_INIT);
        taskRuns.awaitRuns(1);
        taskletRuns.awaitRuns(1);
        assertWorkerAlive(scheduler, 0, worker);
        otherTask.wakeup(WOKEN_MSG);
        other.awaitRuns(1);

        assertTrue(isFreed(task));
        assertTrue(isFreed(tasklet));
        assertFalse("the failed task's timer is armed", timerArmed(scheduler, task));
        task.wakeup(WOKEN_MSG);
        tasklet.wakeup(WOKEN_MSG);
        awaitTimersDueBefore(scheduler, 0, task.expire() + 1);
        quietPeriod(scheduler);
        assertEquals(1, taskRuns.count());
        assertEquals(1, taskletRuns.count());
    }

    /** A failing multi-thread task does not stop any thread either. */
    @Test
    public void aFailingSharedTaskLeavesEveryThreadRunning() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Thread[] workers = {workerThread(scheduler, 0), workerThread(scheduler, 1)};
        Recorder failing = new Recorder(scheduler, armThenThrow(scheduler));
        Task task = scheduler.newTask(0b11, failing, null);
        task.wakeup(WOKEN_INIT);
        failing.awaitRuns(1);
        for (int i = 0; i < 2; i++) {
            assertWorkerAlive(scheduler, i, workers[i]);
        }
        assertTrue(isFreed(task));
        assertEquals(0, scheduler.armedSharedTimers());
    }
}
