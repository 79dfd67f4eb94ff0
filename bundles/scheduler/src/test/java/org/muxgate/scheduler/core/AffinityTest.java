package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.muxgate.api.scheduler.TaskState.SHARED_WQ;
import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_MSG;
import static org.muxgate.api.scheduler.TaskState.WOKEN_OTHER;
import static org.muxgate.api.scheduler.TaskState.WOKEN_TIMER;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;
import org.muxgate.api.scheduler.Task;

/** setAffinity: at creation, or from the running task itself, and nowhere else. */
public class AffinityTest extends SchedulerTestSupport {

    private static final long DELAY_MS = 50;

    /** At creation, before any wakeup, the creator may change the mask; the task then runs on the new thread. */
    @Test
    public void affinityMayChangeAtCreation() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Recorder recorder = new Recorder(scheduler);
        Task task = scheduler.newTask(0b01, recorder, null);
        task.setAffinity(0b10);
        assertEquals(0b10, task.threadMask());
        task.wakeup(WOKEN_INIT);
        assertEquals(1, recorder.awaitRuns(1).thread());
    }

    /**
     * At creation, an expiry set but not armed (setExpire does not touch the wait
     * queue) does not make the task "queued": the creator may still change its mask.
     */
    @Test
    public void affinityMayChangeAtCreationWithAnExpirySet() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Recorder recorder = new Recorder(scheduler, END_ON_TIMER);
        Task task = scheduler.newTask(0b01, recorder, null);
        task.setExpire(scheduler.now() + 60_000);
        task.setAffinity(0b10);
        assertEquals(0b10, task.threadMask());
        task.wakeup(WOKEN_INIT);
        assertEquals(1, recorder.awaitRuns(1).thread());
    }

    /** A task may move itself to another thread while it runs; its next run happens there. */
    @Test
    public void aRunningTaskMayMoveItself() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Recorder recorder = new Recorder(scheduler, (t, ctx, state) -> {
            if ((state & WOKEN_INIT) != 0) {
                ((Task) t).setAffinity(0b10);
                t.wakeup(WOKEN_MSG);
            }
            return t;
        });
        Task task = scheduler.newTask(0b01, recorder, null);
        task.wakeup(WOKEN_INIT);
        assertEquals(0, recorder.awaitRuns(1).thread());
        assertEquals(1, recorder.awaitRuns(2).thread());
        task.wakeup(WOKEN_OTHER);
        assertEquals(1, recorder.awaitRuns(3).thread());
        assertEquals(0b10, task.threadMask());
    }

    /** A task moving itself between single and multi-thread masks gains and loses SHARED_WQ accordingly. */
    @Test
    public void movingChangesTheSharedWaitQueueFlag() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Recorder recorder = new Recorder(scheduler, (t, ctx, state) -> {
            Task task = (Task) t;
            task.setAffinity(task.threadMask() == 0b01 ? 0b11 : 0b10);
            return t;
        });
        Task task = scheduler.newTask(0b01, recorder, null);
        task.wakeup(WOKEN_INIT);
        recorder.awaitRuns(1);
        sync(scheduler, 0);
        assertEquals(0b11, task.threadMask());
        assertEquals(SHARED_WQ, task.state() & SHARED_WQ);
        task.wakeup(WOKEN_MSG);
        recorder.awaitRuns(2);
        syncAll(scheduler);
        assertEquals(0b10, task.threadMask());
        assertEquals(0, task.state() & SHARED_WQ);
        task.wakeup(WOKEN_MSG);
        assertEquals(1, recorder.awaitRuns(3).thread());
    }

    /** Once woken or queued, the mask cannot change from the test thread or another worker. */
    @Test
    public void affinityCannotChangeFromElsewhereOnceScheduled() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        // Queued, not yet run.
        Task queued = scheduler.newTask(0b01, new Recorder(scheduler), null);
        Gate gate = block(scheduler, 0);
        queued.wakeup(WOKEN_MSG);
        assertThrows(IllegalStateException.class, () -> queued.setAffinity(0b10));
        gate.release();
        // Ran once, now idle.
        Recorder recorder = new Recorder(scheduler);
        Task ran = scheduler.newTask(0b01, recorder, null);
        ran.wakeup(WOKEN_MSG);
        recorder.awaitRuns(1);
        sync(scheduler, 0);
        assertThrows(IllegalStateException.class, () -> ran.setAffinity(0b10));
        assertTrue(thrownOn(scheduler, 1, () -> ran.setAffinity(0b10)) instanceof IllegalStateException);
        // Timer armed by its owner, never woken.
        Task armed = scheduler.newTask(0b01, new Recorder(scheduler), null);
        runOn(scheduler, 0, () -> {
            armed.setExpire(scheduler.now() + 60_000);
            armed.queue();
        });
        assertThrows(IllegalStateException.class, () -> armed.setAffinity(0b10));

        for (Task task : new Task[] {queued, ran, armed}) {
            assertEquals(0b01, task.threadMask());
        }
    }

    /** setAffinity rejects a mask naming no existing thread. */
    @Test
    public void affinityRejectsMasksNamingNoThread() {
        TaskScheduler scheduler = newScheduler(2);
        Task task = scheduler.newTask(0b01, KEEP, null);
        assertThrows(IllegalArgumentException.class, () -> task.setAffinity(0));
        assertThrows(IllegalArgumentException.class, () -> task.setAffinity(0b100));
    }

    /**
     * A task without SHARED_WQ that moves itself to another thread while it has an
     * expiry gets IllegalStateException; the scheduler logs and frees it: it never runs
     * again, and both worker threads go on working.
     */
    @Test
    public void movingWithATimerWithoutSharedWaitQueueFreesTheTask() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        AtomicReference<RuntimeException> thrown = new AtomicReference<>();
        AtomicReference<Thread> worker = new AtomicReference<>();
        Recorder recorder = new Recorder(scheduler, (t, ctx, state) -> {
            Task task = (Task) t;
            worker.set(Thread.currentThread());
            task.setExpire(scheduler.now() + DELAY_MS);
            try {
                task.setAffinity(0b10);
            } catch (RuntimeException e) {
                thrown.set(e);
                throw e;
            }
            return t;
        });
        Task task = scheduler.newTask(0b01, recorder, null);
        task.wakeup(WOKEN_INIT);
        recorder.awaitRuns(1);
        assertTrue("setAffinity threw " + thrown.get(), thrown.get() instanceof IllegalStateException);

        assertWorkerAlive(scheduler, 0, worker.get());
        sync(scheduler, 1);
        assertTrue(isFreed(task));
        task.wakeup(WOKEN_MSG);
        awaitTimersDueBefore(scheduler, 0, task.expire() + 1);
        awaitTimersDueBefore(scheduler, 1, task.expire() + 1);
        quietPeriod(scheduler);
        assertEquals(1, recorder.count());
    }

    /** With SHARED_WQ from its creator, a task may move with its timer, which then fires on the new thread. */
    @Test
    public void aSharedTaskMayMoveWithItsTimer() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Recorder recorder = new Recorder(scheduler, (t, ctx, state) -> {
            Task task = (Task) t;
            if ((state & WOKEN_TIMER) != 0) {
                return null;
            }
            task.setExpire(scheduler.now() + DELAY_MS);
            task.setAffinity(0b10);
            return t;
        });
        Task task = scheduler.newTask(0b01, SHARED_WQ, recorder, null);
        task.wakeup(WOKEN_INIT);
        assertEquals(0, recorder.awaitRuns(1).thread());
        Recorder.Run run = recorder.awaitRuns(2);
        assertFiredOnTime(run, task.expire());
        assertEquals(1, run.thread());
    }
}
