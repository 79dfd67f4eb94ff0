package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.scheduler.Tasklet;

/**
 * Seed 003: a health-check task runs on thread A while a traffic thread B shortens
 * its expiry (fastinter). With SHARED_WQ set by its creator, the task must fire at
 * the new expiry, on thread A, and the wait queues must stay consistent.
 */
public class SharedWaitQueueRaceTest {

    private static final int ROUNDS = 2000;
    private static final long LONG_TIMEOUT = 60_000;
    private static final long SHORTENED_DELAY = 2;
    private static final int THREAD_A = 0;
    private static final int THREAD_B = 1;

    private TaskScheduler scheduler;

    @Before
    public void start() {
        scheduler = new TaskScheduler("race", 3, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false, ParkingPoller.FACTORY);
        scheduler.start();
    }

    @After
    public void stop() {
        scheduler.stop();
    }

    /** One check task's round: what A and B saw, for the assertions on the test thread. */
    private static final class Round {
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch shortened = new CountDownLatch(1);
        final CountDownLatch fired = new CountDownLatch(1);
        final boolean shortenWhileRunning;
        volatile long shortenedTo;
        volatile long firedAt;
        volatile int firedOnThread = -1;
        volatile Task task;

        Round(boolean shortenWhileRunning) {
            this.shortenWhileRunning = shortenWhileRunning;
        }
    }

    @Test
    public void expiryShortenedByAnotherThreadFiresAtTheNewDate() throws Exception {
        AtomicReference<Round> current = new AtomicReference<>();
        // Thread B's traffic: shortens the check's timeout, as health_adjust() does with fastinter.
        Tasklet traffic = scheduler.newTasklet(THREAD_B, (t, ctx, state) -> {
            Round round = current.get();
            round.task.schedule(scheduler.now() + SHORTENED_DELAY);
            round.shortenedTo = round.task.expire();
            round.shortened.countDown();
            return t;
        }, null);

        for (int i = 0; i < ROUNDS; i++) {
            Round round = new Round(i % 2 == 0);
            current.set(round);
            round.task = scheduler.newTask(1L << THREAD_A, TaskState.SHARED_WQ, (t, ctx, state) -> {
                Task task = (Task) t;
                if ((state & TaskState.WOKEN_INIT) != 0) {
                    task.setExpire(scheduler.now() + LONG_TIMEOUT);
                    round.running.countDown();
                    if (round.shortenWhileRunning) {
                        await(round.shortened);
                    }
                    return t;
                }
                round.firedAt = scheduler.now();
                round.firedOnThread = scheduler.currentThread();
                round.fired.countDown();
                return null;
            }, null);
            round.task.wakeup(TaskState.WOKEN_INIT);
            await(round.running);
            traffic.wakeup(TaskState.WOKEN_MSG);
            await(round.shortened);
            await(round.fired);

            assertTrue("round " + i + " fired at " + round.firedAt + " before " + round.shortenedTo,
                    round.firedAt >= round.shortenedTo);
            assertTrue("round " + i + " kept its long timeout", round.shortenedTo < round.firedAt + LONG_TIMEOUT / 2);
            assertEquals("round " + i + " ran off its thread", THREAD_A, round.firedOnThread);
            scheduler.checkConsistency();
        }
        assertEquals("fired tasks left in the shared wait queue", 0, scheduler.armedSharedTimers());
    }

    /**
     * The same race with the check tasks on two threads (SHARED_WQ comes from the mask),
     * shortened while they run or wait, in any order: each arms its own long timeout
     * with schedule(), which keeps the earliest date, as health checks do.
     */
    @Test
    public void multiThreadTaskShortenedWhileRunningOnAnotherThread() throws Exception {
        AtomicLong fired = new AtomicLong();
        AtomicLong early = new AtomicLong();
        int tasks = 200;
        CountDownLatch allFired = new CountDownLatch(tasks);
        long mask = (1L << THREAD_A) | (1L << 2);
        Task[] checks = new Task[tasks];
        long[] shortenedTo = new long[tasks];
        for (int i = 0; i < tasks; i++) {
            int index = i;
            checks[i] = scheduler.newTask(mask, (t, ctx, state) -> {
                Task task = (Task) t;
                // Shortened before its first run, the timer may fire in the same run as INIT.
                if ((state & TaskState.WOKEN_TIMER) == 0) {
                    task.schedule(scheduler.now() + LONG_TIMEOUT);
                    return t;
                }
                long now = scheduler.now();
                synchronized (shortenedTo) {
                    if (now < shortenedTo[index]) {
                        early.incrementAndGet();
                    }
                }
                fired.incrementAndGet();
                allFired.countDown();
                return null;
            }, null);
            checks[i].wakeup(TaskState.WOKEN_INIT);
        }
        CountDownLatch shortenedAll = new CountDownLatch(1);
        scheduler.newTasklet(THREAD_B, (t, ctx, state) -> {
            for (int i = 0; i < tasks; i++) {
                synchronized (shortenedTo) {
                    checks[i].schedule(scheduler.now() + 1 + i % 5);
                    shortenedTo[i] = checks[i].expire();
                }
            }
            shortenedAll.countDown();
            return null;
        }, null).wakeup(TaskState.WOKEN_MSG);
        await(shortenedAll);
        await(allFired);
        assertEquals(0, early.get());
        assertEquals(tasks, fired.get());
        scheduler.checkConsistency();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                fail("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }
}
