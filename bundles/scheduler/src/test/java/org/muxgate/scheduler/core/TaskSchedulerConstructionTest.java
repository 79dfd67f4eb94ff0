package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.muxgate.api.scheduler.TaskState.RUNNING;
import static org.muxgate.api.scheduler.TaskState.SHARED_WQ;
import static org.muxgate.api.scheduler.TaskState.USR1;
import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;

import org.junit.Test;

/** Building a scheduler and what it says about its threads. */
public class TaskSchedulerConstructionTest extends SchedulerTestSupport {

    private static TaskScheduler build(int threads, int runQueueDepth) {
        return new TaskScheduler("build", threads, runQueueDepth, false, ParkingPoller.FACTORY);
    }

    /** A scheduler has 1 to 64 threads. */
    @Test
    public void threadCountMustBeOneTo64() {
        assertThrows(IllegalArgumentException.class, () -> build(0, 1));
        assertThrows(IllegalArgumentException.class, () -> build(65, 1));
        assertThrows(IllegalArgumentException.class, () -> build(-1, 1));
        assertEquals(1, build(1, 1).threadCount());
        assertEquals(64, build(64, 1).threadCount());
    }

    /** The run queue depth, tasks run per loop, is at least 1. */
    @Test
    public void runQueueDepthMustBeAtLeastOne() {
        assertThrows(IllegalArgumentException.class, () -> build(1, 0));
        assertThrows(IllegalArgumentException.class, () -> build(1, -5));
        build(1, 1);
    }

    /** allThreads() has one bit per thread, all 64 bits for 64 threads. */
    @Test
    public void allThreadsNamesEveryThread() {
        assertEquals(0b1L, build(1, 1).allThreads());
        assertEquals(0b1111L, build(4, 1).allThreads());
        assertEquals(Long.MAX_VALUE, build(63, 1).allThreads());
        assertEquals(-1L, build(64, 1).allThreads());
    }

    /** currentThread() is -1 outside the workers, including on another scheduler's worker. */
    @Test
    public void currentThreadIsMinusOneOutsideItsWorkers() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        TaskScheduler other = startScheduler(1);
        assertEquals(-1, scheduler.currentThread());
        assertEquals(-1, (int) callOn(other, 0, scheduler::currentThread));
    }

    /** currentThread() is the worker's index inside a task or tasklet. */
    @Test
    public void currentThreadIsTheWorkerIndexInsideATask() throws Exception {
        TaskScheduler scheduler = startScheduler(4);
        for (int i = 0; i < 4; i++) {
            assertEquals(i, (int) callOn(scheduler, i, scheduler::currentThread));
            Recorder recorder = new Recorder(scheduler);
            scheduler.newTask(1L << i, recorder, null).wakeup(WOKEN_INIT);
            assertEquals(i, recorder.awaitRuns(1).thread());
        }
    }

    /** Worker threads are named after the scheduler and their index. */
    @Test
    public void workerThreadsAreNamedAfterTheScheduler() throws Exception {
        TaskScheduler scheduler = startScheduler(3);
        for (int i = 0; i < 3; i++) {
            assertEquals("test-worker-" + i, callOn(scheduler, i, () -> Thread.currentThread().getName()));
        }
    }

    /** newTasklet takes an existing thread and user-settable flags only. */
    @Test
    public void newTaskletRejectsUnknownThreadsAndFlags() {
        TaskScheduler scheduler = newScheduler(2);
        assertThrows(IllegalArgumentException.class, () -> scheduler.newTasklet(-1, KEEP, null));
        assertThrows(IllegalArgumentException.class, () -> scheduler.newTasklet(2, KEEP, null));
        assertThrows(IllegalArgumentException.class, () -> scheduler.newTasklet(0, SHARED_WQ, KEEP, null));
        assertThrows(IllegalArgumentException.class, () -> scheduler.newTasklet(0, RUNNING, KEEP, null));
        assertEquals(1, scheduler.newTasklet(1, USR1, KEEP, null).thread());
    }

    /** newTask takes persistent flags only. */
    @Test
    public void newTaskRejectsNonPersistentFlags() {
        TaskScheduler scheduler = newScheduler(2);
        assertThrows(IllegalArgumentException.class, () -> scheduler.newTask(1, RUNNING, KEEP, null));
        assertThrows(IllegalArgumentException.class, () -> scheduler.newTask(1, WOKEN_INIT, KEEP, null));
        assertEquals(USR1, scheduler.newTask(1, USR1, KEEP, null).state() & USR1);
    }
}
