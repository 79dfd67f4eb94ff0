package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.muxgate.api.scheduler.TaskState.SHARED_WQ;
import static org.muxgate.api.scheduler.TaskState.WOKEN_MSG;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.Test;
import org.muxgate.api.scheduler.Task;

/** A task's thread mask: where it may run, and whether it uses the shared wait queue. */
public class TaskMaskTest extends SchedulerTestSupport {

    /**
     * A task runs only on threads of its mask, and never on two at once: single-thread,
     * multi-thread and all-thread masks, woken together round after round.
     */
    @Test
    public void tasksRunOnlyOnThreadsOfTheirMask() throws Exception {
        TaskScheduler scheduler = startScheduler(4);
        long[] masks = {0b0001, 0b0100, 0b1000, 0b0110, 0b1011, scheduler.allThreads()};
        Recorder[] recorders = new Recorder[masks.length];
        Task[] tasks = new Task[masks.length];
        AtomicBoolean overlap = new AtomicBoolean();
        for (int i = 0; i < masks.length; i++) {
            AtomicBoolean running = new AtomicBoolean();
            recorders[i] = new Recorder(scheduler, (t, ctx, state) -> {
                if (!running.compareAndSet(false, true)) {
                    overlap.set(true);
                }
                Thread.yield();
                running.set(false);
                return t;
            });
            tasks[i] = scheduler.newTask(masks[i], recorders[i], null);
        }
        for (int round = 1; round <= 200; round++) {
            for (Task task : tasks) {
                task.wakeup(WOKEN_MSG);
            }
            for (Recorder recorder : recorders) {
                recorder.awaitRuns(round);
            }
        }
        for (int i = 0; i < masks.length; i++) {
            for (Recorder.Run run : recorders[i].runs()) {
                assertTrue("mask 0x" + Long.toHexString(masks[i]) + " ran on thread " + run.thread(),
                        (masks[i] & (1L << run.thread())) != 0);
            }
        }
        assertFalse("a task ran on two threads at once", overlap.get());
    }

    /** A mask naming no existing thread is rejected. */
    @Test
    public void newTaskRejectsMasksNamingNoExistingThread() {
        TaskScheduler scheduler = newScheduler(4);
        assertThrows(IllegalArgumentException.class, () -> scheduler.newTask(0, KEEP, null));
        assertThrows(IllegalArgumentException.class, () -> scheduler.newTask(1L << 4, KEEP, null));
        assertThrows(IllegalArgumentException.class, () -> scheduler.newTask(1L << 63, KEEP, null));
        assertThrows(IllegalArgumentException.class, () -> scheduler.newTask(0b1110000, KEEP, null));
    }

    /** SHARED_WQ is set iff the mask names two threads or more, or the creator asks for it. */
    @Test
    public void sharedWaitQueueFlagFollowsTheMask() {
        TaskScheduler scheduler = newScheduler(4);
        assertFalse(sharedWaitQueue(scheduler.newTask(0b0001, KEEP, null)));
        assertFalse(sharedWaitQueue(scheduler.newTask(0b1000, KEEP, null)));
        assertTrue(sharedWaitQueue(scheduler.newTask(0b0110, KEEP, null)));
        assertTrue(sharedWaitQueue(scheduler.newTask(0b1001, KEEP, null)));
        assertTrue(sharedWaitQueue(scheduler.newTask(scheduler.allThreads(), KEEP, null)));
        assertTrue(sharedWaitQueue(scheduler.newTask(0b0100, SHARED_WQ, KEEP, null)));

        TaskScheduler single = newScheduler(1);
        assertFalse(sharedWaitQueue(single.newTask(single.allThreads(), KEEP, null)));
        assertTrue(sharedWaitQueue(single.newTask(1, SHARED_WQ, KEEP, null)));
    }

    /** The mask is kept as given. */
    @Test
    public void threadMaskIsKept() {
        TaskScheduler scheduler = newScheduler(4);
        assertEquals(0b0110, scheduler.newTask(0b0110, KEEP, null).threadMask());
    }

    private static boolean sharedWaitQueue(Task task) {
        return (task.state() & SHARED_WQ) != 0;
    }
}
