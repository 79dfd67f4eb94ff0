package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.muxgate.api.scheduler.TaskState.WOKEN_MSG;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.Test;
import org.muxgate.api.scheduler.ThreadActivity;
import org.muxgate.api.scheduler.Tasklet;

/** The activity counters of each worker thread. */
public class ThreadActivityTest extends SchedulerTestSupport {

    /** activity() has one snapshot per thread, in thread order. */
    @Test
    public void activityHasOneSnapshotPerThread() {
        TaskScheduler scheduler = startScheduler(3);
        List<ThreadActivity> activity = scheduler.activity();
        assertEquals(3, activity.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, activity.get(i).thread());
        }
    }

    /** loops and tasksRun grow as a thread runs tasks, and count them all once it is idle again. */
    @Test
    public void loopsAndTasksRunGrow() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        ThreadActivity before = scheduler.activity().get(1);
        Recorder recorder = new Recorder(scheduler);
        Tasklet tasklet = scheduler.newTasklet(1, recorder, null);
        for (int i = 1; i <= 10; i++) {
            tasklet.wakeup(WOKEN_MSG);
            recorder.awaitRuns(i);
        }
        waitUntil("thread 1's activity to count its 10 runs", () -> {
            ThreadActivity now = scheduler.activity().get(1);
            return now.tasksRun() >= before.tasksRun() + 10 && now.loops() > before.loops();
        });
    }

    /** A thread sleeping in its poller and woken by another thread counts the wakeup. */
    @Test
    public void anIdleThreadWokenByAnotherCountsAWakeup() throws Exception {
        RecordingPollerFactory pollers = new RecordingPollerFactory();
        TaskScheduler scheduler = started(newScheduler(2, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false, pollers));
        Recorder recorder = new Recorder(scheduler);
        Tasklet tasklet = scheduler.newTasklet(1, recorder, null);
        long before = scheduler.activity().get(1).wakeups();
        // A poll may return spuriously, between our look and our wakeup: try again then.
        for (int attempt = 1; attempt <= 5 && scheduler.activity().get(1).wakeups() == before; attempt++) {
            waitUntil("thread 1 to sleep", () -> pollers.poller(1).blocking);
            runOn(scheduler, 0, () -> tasklet.wakeup(WOKEN_MSG));
            recorder.awaitRuns(attempt);
        }
        assertTrue(scheduler.activity().get(1).wakeups() > before);
        assertTrue(pollers.poller(1).wakeups.get() > 0);
    }

    /**
     * A busy thread is not woken once per cross-thread wakeup: while a hog keeps thread 0
     * busy (it never sleeps), 10,000 tasklets of thread 0 woken from the test thread
     * cause far fewer poller wakeups than 10,000.
     */
    @Test
    public void aBusyThreadIsNotWokenForEachWakeup() throws Exception {
        int count = 10_000;
        RecordingPollerFactory pollers = new RecordingPollerFactory();
        TaskScheduler scheduler = started(newScheduler(1, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false, pollers));
        CountDownLatch ran = new CountDownLatch(count);
        Tasklet[] tasklets = new Tasklet[count];
        for (int i = 0; i < count; i++) {
            tasklets[i] = scheduler.newTasklet(0, (t, ctx, state) -> {
                ran.countDown();
                return null;
            }, null);
        }
        Hog hog = new Hog(scheduler, 0);
        long wakeupsBefore;
        long wakeupsAfter;
        try {
            wakeupsBefore = pollers.poller(0).wakeups.get();
            for (Tasklet tasklet : tasklets) {
                tasklet.wakeup(WOKEN_MSG);
            }
            await(ran, "every tasklet");
            wakeupsAfter = pollers.poller(0).wakeups.get();
        } finally {
            hog.stop();
        }
        long wakeups = wakeupsAfter - wakeupsBefore;
        assertTrue(wakeups + " poller wakeups for " + count + " wakeups of a busy thread", wakeups < 100);
    }
}
