package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.muxgate.api.scheduler.TaskState.HEAVY;
import static org.muxgate.api.scheduler.TaskState.SELF_WAKING;
import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_MSG;
import static org.muxgate.api.scheduler.TaskState.WOKEN_OTHER;
import static org.muxgate.api.scheduler.TaskState.WOKEN_TIMER;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import org.junit.Test;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.scheduler.Tasklet;

/** Task classes and the loop budget: urgent, normal, bulk, heavy. */
public class TaskClassTest extends SchedulerTestSupport {

    private static final int SMALL_DEPTH = 8;

    /**
     * With a small budget, a tasklet that wakes itself forever does not starve the
     * thread's other tasklets, tasks and timers: they all make progress.
     */
    @Test
    public void aSelfWakingTaskletDoesNotStarveTheOthers() throws Exception {
        TaskScheduler scheduler = started(newScheduler(1, SMALL_DEPTH, false, ParkingPoller.FACTORY));
        Hog hog = new Hog(scheduler, 0);
        try {
            // A tasklet woken from the test thread, 50 times, each after the previous run.
            Recorder woken = new Recorder(scheduler);
            Tasklet tasklet = scheduler.newTasklet(0, woken, null);
            for (int i = 1; i <= 50; i++) {
                tasklet.wakeup(WOKEN_MSG);
                woken.awaitRuns(i);
            }
            // A task that wakes itself 50 times.
            CountDownLatch chained = new CountDownLatch(50);
            scheduler.newTask(1, (t, ctx, state) -> {
                chained.countDown();
                if (chained.getCount() > 0) {
                    t.wakeup(WOKEN_MSG);
                }
                return t;
            }, null).wakeup(WOKEN_INIT);
            await(chained, "a self-waking task's runs");
            // A timer.
            Recorder timer = new Recorder(scheduler, (t, ctx, state) -> {
                if ((state & WOKEN_TIMER) != 0) {
                    return null;
                }
                ((Task) t).setExpire(scheduler.now() + 20);
                return t;
            });
            scheduler.newTask(1, timer, null).wakeup(WOKEN_INIT);
            assertEquals(WOKEN_TIMER, timer.awaitRuns(2).state() & WOKEN_TIMER);
            assertTrue("the hog stopped running", hog.runs() > 1);
        } finally {
            hog.stop();
        }
    }

    /** At most one HEAVY task or tasklet runs per loop, even when several are queued together. */
    @Test
    public void atMostOneHeavyTaskRunsPerLoop() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        List<Long> loops = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(5);
        TaskProcess recordLoop = (t, ctx, state) -> {
            loops.add(scheduler.activity().get(0).loops());
            all.countDown();
            return null;
        };
        List<Schedulable> heavy = List.of(scheduler.newTask(1, HEAVY, recordLoop, null),
                scheduler.newTasklet(0, HEAVY, recordLoop, null), scheduler.newTask(1, HEAVY, recordLoop, null),
                scheduler.newTasklet(0, HEAVY, recordLoop, null), scheduler.newTask(1, HEAVY, recordLoop, null));
        Gate gate = block(scheduler, 0);
        heavy.forEach(task -> task.wakeup(WOKEN_MSG));
        gate.release();
        await(all, "every heavy task");
        Set<Long> distinct = new HashSet<>(loops);
        assertEquals("loops of the heavy runs: " + loops, loops.size(), distinct.size());
    }

    /** Urgent tasklets (woken from another thread) run before bulk (self-waking) ones queued with them. */
    @Test
    public void urgentTaskletsRunBeforeBulkOnes() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(4);
        TaskProcess record = (t, ctx, state) -> {
            order.add((String) ctx);
            all.countDown();
            return null;
        };
        Tasklet bulk1 = scheduler.newTasklet(0, SELF_WAKING, record, "bulk1");
        Tasklet bulk2 = scheduler.newTasklet(0, SELF_WAKING, record, "bulk2");
        Tasklet urgent1 = scheduler.newTasklet(0, record, "urgent1");
        Tasklet urgent2 = scheduler.newTasklet(0, record, "urgent2");
        Gate gate = block(scheduler, 0);
        bulk1.wakeup(WOKEN_OTHER);
        bulk2.wakeup(WOKEN_OTHER);
        urgent1.wakeup(WOKEN_OTHER);
        urgent2.wakeup(WOKEN_OTHER);
        gate.release();
        await(all, "every tasklet");
        assertEquals(List.of("urgent1", "urgent2", "bulk1", "bulk2"), order);
    }
}
