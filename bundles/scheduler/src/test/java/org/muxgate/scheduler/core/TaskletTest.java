package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.muxgate.api.scheduler.TaskState.SELF_WAKING;
import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_IO;
import static org.muxgate.api.scheduler.TaskState.WOKEN_MSG;
import static org.muxgate.api.scheduler.TaskState.WOKEN_RES;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.Test;
import org.muxgate.api.scheduler.Tasklet;

/** Tasklets: bound to one thread, woken from anywhere, and self-waking ones go to the bulk class. */
public class TaskletTest extends SchedulerTestSupport {

    /** A tasklet runs on its thread, whoever wakes it: the test thread or any worker. */
    @Test
    public void aTaskletRunsOnItsThreadWhoeverWakesIt() throws Exception {
        TaskScheduler scheduler = startScheduler(3);
        for (int thread = 0; thread < 3; thread++) {
            Recorder recorder = new Recorder(scheduler);
            Tasklet tasklet = scheduler.newTasklet(thread, recorder, null);
            assertEquals(thread, tasklet.thread());
            tasklet.wakeup(WOKEN_INIT);
            recorder.awaitRuns(1);
            for (int waker = 0; waker < 3; waker++) {
                runOn(scheduler, waker, () -> tasklet.wakeup(WOKEN_IO));
                recorder.awaitRuns(2 + waker);
            }
            for (Recorder.Run run : recorder.runs()) {
                assertEquals(thread, run.thread());
            }
        }
    }

    /**
     * A tasklet woken concurrently from several non-worker threads (the inbox path)
     * runs on its thread, and runs again after the last one.
     */
    @Test
    public void aTaskletWokenFromManyOtherThreadsRuns() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Recorder recorder = new Recorder(scheduler);
        Tasklet tasklet = scheduler.newTasklet(1, recorder, null);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> wakers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread waker = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int n = 0; n < 10_000; n++) {
                    tasklet.wakeup(WOKEN_MSG);
                }
            });
            waker.start();
            wakers.add(waker);
        }
        go.countDown();
        for (Thread waker : wakers) {
            waker.join(TIMEOUT_MS);
        }
        tasklet.wakeup(WOKEN_RES);
        waitUntil("a run after the last wakeup",
                () -> recorder.runs().stream().anyMatch(run -> (run.state() & WOKEN_RES) != 0));
        assertTrue(recorder.runs().stream().anyMatch(run -> (run.state() & WOKEN_MSG) != 0));
        for (Recorder.Run run : recorder.runs()) {
            assertEquals(1, run.thread());
        }
    }

    /** A tasklet that wakes itself while it runs gets SELF_WAKING, which stays. */
    @Test
    public void aTaskletWakingItselfBecomesSelfWaking() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder recorder = new Recorder(scheduler, (t, ctx, state) -> {
            if ((state & WOKEN_INIT) != 0) {
                t.wakeup(WOKEN_MSG);
            }
            return t;
        });
        Tasklet tasklet = scheduler.newTasklet(0, recorder, null);
        tasklet.wakeup(WOKEN_INIT);
        assertEquals(0, recorder.awaitRuns(1).state() & SELF_WAKING);
        assertEquals(SELF_WAKING, recorder.awaitRuns(2).state() & SELF_WAKING);
        tasklet.wakeup(WOKEN_IO);
        assertEquals(SELF_WAKING, recorder.awaitRuns(3).state() & SELF_WAKING);
        sync(scheduler, 0);
        assertEquals(SELF_WAKING, tasklet.state() & SELF_WAKING);
    }

    /** A tasklet woken by another task of its thread, or from another thread, does not get SELF_WAKING. */
    @Test
    public void aTaskletWokenByOthersIsNotSelfWaking() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Recorder recorder = new Recorder(scheduler);
        Tasklet tasklet = scheduler.newTasklet(0, recorder, null);
        runOn(scheduler, 0, () -> tasklet.wakeup(WOKEN_MSG));
        recorder.awaitRuns(1);
        runOn(scheduler, 1, () -> tasklet.wakeup(WOKEN_MSG));
        recorder.awaitRuns(2);
        tasklet.wakeup(WOKEN_MSG);
        recorder.awaitRuns(3);
        sync(scheduler, 0);
        for (Recorder.Run run : recorder.runs()) {
            assertEquals(0, run.state() & SELF_WAKING);
        }
        assertEquals(0, tasklet.state() & SELF_WAKING);
    }
}
