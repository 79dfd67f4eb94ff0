package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_MSG;

import java.util.List;

import org.junit.Test;
import org.muxgate.api.scheduler.Schedulable;

/** start() and stop(). */
public class LifecycleTest extends SchedulerTestSupport {

    /** start() twice throws, and so does start() after stop(). */
    @Test
    public void startingTwiceThrows() {
        TaskScheduler scheduler = startScheduler(1);
        assertThrows(IllegalStateException.class, scheduler::start);
        scheduler.stop();
        assertThrows(IllegalStateException.class, scheduler::start);
    }

    /** stop() joins every worker thread, and a second stop() does nothing. */
    @Test
    public void stopJoinsEveryWorkerAndIsIdempotent() {
        RecordingPollerFactory pollers = new RecordingPollerFactory();
        TaskScheduler scheduler = started(newScheduler(3, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false, pollers));
        List<Thread> workers = pollers.callers();
        assertEquals(3, workers.size());
        scheduler.stop();
        for (Thread worker : workers) {
            assertFalse(worker.getName() + " still alive", worker.isAlive());
        }
        scheduler.stop();
    }

    /** A worker thread may not stop its own scheduler, which keeps running. */
    @Test
    public void stopFromAWorkerThrows() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        assertTrue(thrownOn(scheduler, 0, scheduler::stop) instanceof IllegalStateException);
        syncAll(scheduler);
    }

    /** Tasks and tasklets woken before start() run once it is started. */
    @Test
    public void tasksWokenBeforeStartRunAfterIt() throws Exception {
        TaskScheduler scheduler = newScheduler(2);
        Recorder single = new Recorder(scheduler);
        Recorder multi = new Recorder(scheduler);
        Recorder tasklet = new Recorder(scheduler);
        List<Schedulable> tasks = List.of(scheduler.newTask(0b10, single, null),
                scheduler.newTask(0b11, multi, null), scheduler.newTasklet(1, tasklet, null));
        tasks.forEach(task -> task.wakeup(WOKEN_INIT));
        tasks.forEach(task -> task.wakeup(WOKEN_MSG));
        scheduler.start();
        assertEquals(WOKEN_INIT | WOKEN_MSG, single.awaitRuns(1).state() & (WOKEN_INIT | WOKEN_MSG));
        assertEquals(WOKEN_INIT | WOKEN_MSG, multi.awaitRuns(1).state() & (WOKEN_INIT | WOKEN_MSG));
        assertEquals(WOKEN_INIT | WOKEN_MSG, tasklet.awaitRuns(1).state() & (WOKEN_INIT | WOKEN_MSG));
        assertEquals(1, single.run(0).thread());
        assertEquals(1, tasklet.run(0).thread());
    }

    /** A poller factory that throws makes start() throw, and leaves no worker thread running. */
    @Test
    public void aFailingPollerFactoryFailsStart() {
        RecordingPollerFactory pollers = new RecordingPollerFactory(thread -> thread == 1);
        TaskScheduler scheduler = newScheduler(3, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false, pollers);
        assertThrows(IllegalStateException.class, scheduler::start);
        List<Thread> workers = pollers.callers();
        assertEquals(3, workers.size());
        for (Thread worker : workers) {
            assertFalse(worker.getName() + " still alive", worker.isAlive());
        }
        for (int thread : new int[] {0, 2}) {
            assertEquals("closes of poller " + thread, 1, pollers.poller(thread).closes.get());
        }
    }
}
