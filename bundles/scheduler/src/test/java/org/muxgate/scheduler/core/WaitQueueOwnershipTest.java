package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.muxgate.api.scheduler.TaskState.SHARED_WQ;

import org.junit.Test;
import org.muxgate.api.scheduler.Task;

/**
 * Seed 003's BUG_ON: a single-thread task without SHARED_WQ lives in its thread's wait
 * queue, which no other thread may touch once the scheduler runs; with SHARED_WQ set
 * by its creator, any thread may change its expiry.
 */
public class WaitQueueOwnershipTest extends SchedulerTestSupport {

    private static final long FAR_MS = 60_000;
    private static final long DELAY_MS = 50;

    /** queue(), schedule() and unlinkWaitQueue() from the test thread throw, and change nothing. */
    @Test
    public void localWaitQueueOperationsFromANonWorkerThrow() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Task task = armedLocalTask(scheduler);
        long expire = task.expire();
        assertThrows(IllegalStateException.class, task::queue);
        assertThrows(IllegalStateException.class, () -> task.schedule(scheduler.now() + DELAY_MS));
        assertThrows(IllegalStateException.class, task::unlinkWaitQueue);
        assertEquals(expire, task.expire());
        assertTrue("the failed calls disarmed the timer", timerArmed(scheduler, task));
    }

    /** The same operations from another worker thread throw, and change nothing. */
    @Test
    public void localWaitQueueOperationsFromAnotherWorkerThrow() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Task task = armedLocalTask(scheduler);
        long expire = task.expire();
        assertTrue(thrownOn(scheduler, 1, task::queue) instanceof IllegalStateException);
        assertTrue(thrownOn(scheduler, 1, () -> task.schedule(scheduler.now() + DELAY_MS))
                instanceof IllegalStateException);
        assertTrue(thrownOn(scheduler, 1, task::unlinkWaitQueue) instanceof IllegalStateException);
        assertEquals(expire, task.expire());
        assertTrue("the failed calls disarmed the timer", timerArmed(scheduler, task));
    }

    /** A single-thread task with SHARED_WQ may be armed from the test thread; it fires on its owner. */
    @Test
    public void aSharedTaskMayBeQueuedFromANonWorker() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Recorder recorder = new Recorder(scheduler, END_ON_TIMER);
        Task task = scheduler.newTask(0b10, SHARED_WQ, recorder, null);
        task.setExpire(scheduler.now() + DELAY_MS);
        task.queue();
        Recorder.Run run = recorder.awaitRuns(1);
        assertFiredOnTime(run, task.expire());
        assertEquals(1, run.thread());
    }

    /** Another worker may shorten a shared task's expiry with schedule(); it fires at the new date on its owner. */
    @Test
    public void aSharedTaskMayBeScheduledFromAnotherWorker() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Recorder recorder = new Recorder(scheduler, END_ON_TIMER);
        Task task = scheduler.newTask(0b01, SHARED_WQ, recorder, null);
        runOn(scheduler, 0, () -> {
            task.setExpire(scheduler.now() + FAR_MS);
            task.queue();
        });
        long date = callOn(scheduler, 1, () -> {
            task.schedule(scheduler.now() + DELAY_MS);
            return task.expire();
        });
        assertTrue(date < scheduler.now() + FAR_MS / 2);
        Recorder.Run run = recorder.awaitRuns(1);
        assertFiredOnTime(run, date);
        assertEquals(0, run.thread());
    }

    /** Any thread may disarm a shared task's timer: from another worker, or from the test thread. */
    @Test
    public void aSharedTaskMayBeUnlinkedFromAnyThread() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Task fromWorker = scheduler.newTask(0b01, SHARED_WQ, END_ON_TIMER, null);
        Task fromTest = scheduler.newTask(0b01, SHARED_WQ, END_ON_TIMER, null);
        for (Task task : new Task[] {fromWorker, fromTest}) {
            task.setExpire(scheduler.now() + FAR_MS);
            task.queue();
        }
        assertEquals(2, scheduler.armedSharedTimers());
        runOn(scheduler, 1, fromWorker::unlinkWaitQueue);
        fromTest.unlinkWaitQueue();
        assertEquals(0, scheduler.armedSharedTimers());
        assertFalse(timerArmed(scheduler, fromWorker));
        assertFalse(timerArmed(scheduler, fromTest));
    }

    /** Before start, the creator may arm a local timer from any thread; it fires once started. */
    @Test
    public void aLocalTimerMayBeArmedBeforeStart() throws Exception {
        TaskScheduler scheduler = newScheduler(2);
        Recorder recorder = new Recorder(scheduler, END_ON_TIMER);
        Task task = scheduler.newTask(0b10, recorder, null);
        task.setExpire(scheduler.now() + DELAY_MS);
        task.queue();
        scheduler.start();
        Recorder.Run run = recorder.awaitRuns(1);
        assertFiredOnTime(run, task.expire());
        assertEquals(1, run.thread());
    }

    /** A task of thread 0 without SHARED_WQ, armed far ahead by its owner. */
    private static Task armedLocalTask(TaskScheduler scheduler) throws Exception {
        Task task = scheduler.newTask(0b01, END_ON_TIMER, null);
        runOn(scheduler, 0, () -> {
            task.setExpire(scheduler.now() + FAR_MS);
            task.queue();
        });
        return task;
    }
}
