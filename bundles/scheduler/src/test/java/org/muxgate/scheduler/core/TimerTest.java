package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_TIMER;

import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.Test;
import org.muxgate.api.scheduler.Task;

/** Timers: arming, firing on the scheduler clock, moving later or earlier, disarming. */
public class TimerTest extends SchedulerTestSupport {

    private static final long DELAY_MS = 50;

    /** Setting an expiry and returning the task from process arms the timer; it fires on time. */
    @Test
    public void returningATaskWithAnExpiryArmsItsTimer() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder recorder = new Recorder(scheduler, (t, ctx, state) -> {
            if ((state & WOKEN_TIMER) != 0) {
                return null;
            }
            ((Task) t).setExpire(scheduler.now() + DELAY_MS);
            return t;
        });
        Task task = scheduler.newTask(1, recorder, null);
        task.wakeup(WOKEN_INIT);
        assertFiredOnTime(recorder.awaitRuns(2), task.expire());
    }

    /** queue() from the owner thread arms the timer of a task that never ran. */
    @Test
    public void queueFromTheOwnerArmsTheTimer() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Recorder recorder = new Recorder(scheduler, END_ON_TIMER);
        Task task = scheduler.newTask(0b10, recorder, null);
        runOn(scheduler, 1, () -> {
            task.setExpire(scheduler.now() + DELAY_MS);
            task.queue();
        });
        Recorder.Run run = recorder.awaitRuns(1);
        assertFiredOnTime(run, task.expire());
        assertEquals(1, run.thread());
    }

    /**
     * Pushing the expiry of an armed timer later, with or without queue(), makes it fire
     * at the new date: the queue repositions it lazily when the old date is reached.
     */
    @Test
    public void pushingTheExpiryLaterDelaysTheFiring() throws Exception {
        for (boolean requeue : new boolean[] {true, false}) {
            TaskScheduler scheduler = startScheduler(1);
            Recorder recorder = new Recorder(scheduler, END_ON_TIMER);
            Task task = scheduler.newTask(1, recorder, null);
            runOn(scheduler, 0, () -> {
                task.setExpire(scheduler.now() + DELAY_MS);
                task.queue();
                task.setExpire(task.expire() + 5 * DELAY_MS);
                if (requeue) {
                    task.queue();
                }
            });
            assertFiredOnTime(recorder.awaitRuns(1), task.expire());
        }
    }

    /** queue() with an earlier expiry moves the timer earlier. */
    @Test
    public void queueWithAnEarlierExpiryMovesTheTimerEarlier() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder recorder = new Recorder(scheduler, END_ON_TIMER);
        Task task = scheduler.newTask(1, recorder, null);
        runOn(scheduler, 0, () -> {
            task.setExpire(scheduler.now() + 60_000);
            task.queue();
            task.setExpire(scheduler.now() + DELAY_MS);
            task.queue();
        });
        assertFiredOnTime(recorder.awaitRuns(1), task.expire());
    }

    /** schedule(date) keeps the earliest of the current expiry and date. */
    @Test
    public void scheduleKeepsTheEarliestDate() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder recorder = new Recorder(scheduler, END_ON_TIMER);
        Task task = scheduler.newTask(1, recorder, null);
        long[] dates = new long[2];
        runOn(scheduler, 0, () -> {
            dates[0] = scheduler.now() + 60_000;
            task.setExpire(dates[0]);
            task.queue();
            task.schedule(dates[0] + 1_000);
            dates[1] = task.expire();
        });
        assertEquals("a later date changed the expiry", dates[0], dates[1]);
        long early = callOn(scheduler, 0, () -> {
            task.schedule(scheduler.now() + DELAY_MS);
            return task.expire();
        });
        assertTrue(early < dates[0]);
        assertFiredOnTime(recorder.awaitRuns(1), early);
    }

    /** schedule(date) arms the timer of a task without expiry. */
    @Test
    public void scheduleArmsATaskWithoutExpiry() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder recorder = new Recorder(scheduler, END_ON_TIMER);
        Task task = scheduler.newTask(1, recorder, null);
        long date = callOn(scheduler, 0, () -> {
            task.schedule(scheduler.now() + DELAY_MS);
            return task.expire();
        });
        assertFiredOnTime(recorder.awaitRuns(1), date);
    }

    /** unlinkWaitQueue() disarms the timer. */
    @Test
    public void unlinkWaitQueueDisarmsTheTimer() throws Exception {
        checkDisarmed(Task::unlinkWaitQueue);
    }

    /** setExpire(ETERNITY) disarms the timer, without any queue operation. */
    @Test
    public void anEternalExpiryDisarmsTheTimer() throws Exception {
        checkDisarmed(task -> task.setExpire(Task.ETERNITY));
    }

    /** Arms a timer and disarms it in the same run of its owner thread, then proves it never fires. */
    private void checkDisarmed(Consumer<Task> disarm) throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Recorder recorder = new Recorder(scheduler, END_ON_TIMER);
        Task task = scheduler.newTask(1, recorder, null);
        long expire = callOn(scheduler, 0, () -> {
            task.setExpire(scheduler.now() + DELAY_MS);
            task.queue();
            long armedAt = task.expire();
            disarm.accept(task);
            return armedAt;
        });
        awaitTimersDueBefore(scheduler, 0, expire + 1);
        quietPeriod(scheduler);
        assertEquals(0, recorder.count());
        assertFalse(timerArmed(scheduler, task));
    }

    /**
     * 10,000 timers with random expiries within 300 ms on one thread all fire, each at or
     * after its expiry, and in expiry order.
     */
    @Test
    public void manyTimersFireOnTimeAndInOrder() throws Exception {
        int count = 10_000;
        TaskScheduler scheduler = startScheduler(1);
        long[] expires = new long[count];
        long[] firedAt = new long[count];
        long[] firedClock = new long[count];
        int[] order = new int[count];
        AtomicInteger fired = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(count);
        Task[] tasks = new Task[count];
        for (int i = 0; i < count; i++) {
            int index = i;
            tasks[i] = scheduler.newTask(1, (t, ctx, state) -> {
                firedAt[index] = scheduler.now();
                firedClock[index] = TaskScheduler.clock();
                order[fired.getAndIncrement()] = index;
                all.countDown();
                return null;
            }, null);
        }
        Random random = new Random(42);
        runOn(scheduler, 0, () -> {
            long base = scheduler.now();
            for (int i = 0; i < count; i++) {
                expires[i] = base + random.nextInt(300);
                tasks[i].setExpire(expires[i]);
                tasks[i].queue();
            }
        });
        await(all, "every timer");
        for (int i = 0; i < count; i++) {
            assertTrue("timer " + i + " fired at " + firedAt[i] + " before " + expires[i], firedAt[i] >= expires[i]);
            assertTrue("timer " + i + " late by " + (firedClock[i] - expires[i]),
                    firedClock[i] - expires[i] < LATE_TOLERANCE_MS);
        }
        for (int k = 1; k < count; k++) {
            assertTrue("timer fired out of expiry order at " + k, expires[order[k - 1]] <= expires[order[k]]);
        }
    }

    /** 2,000 shared timers queued from the test thread on two threads all fire, each at or after its expiry. */
    @Test
    public void manySharedTimersFireOnTime() throws Exception {
        int count = 2_000;
        TaskScheduler scheduler = startScheduler(2);
        long[] expires = new long[count];
        long[] firedAt = new long[count];
        CountDownLatch all = new CountDownLatch(count);
        Random random = new Random(7);
        long base = scheduler.now();
        for (int i = 0; i < count; i++) {
            int index = i;
            Task task = scheduler.newTask(0b11, (t, ctx, state) -> {
                firedAt[index] = scheduler.now();
                all.countDown();
                return null;
            }, null);
            expires[i] = base + random.nextInt(300);
            task.setExpire(expires[i]);
            task.queue();
        }
        await(all, "every timer");
        for (int i = 0; i < count; i++) {
            assertTrue("timer " + i + " fired at " + firedAt[i] + " before " + expires[i], firedAt[i] >= expires[i]);
        }
        assertEquals(0, scheduler.armedSharedTimers());
    }
}
