package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_OTHER;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;
import org.muxgate.api.scheduler.Poller;
import org.muxgate.api.scheduler.Task;
import org.muxgate.scheduler.core.RecordingPollerFactory.RecordingPoller;

/** The pluggable poller: created on each worker, polled with the right timeout, closed on stop. */
public class PollerTest extends SchedulerTestSupport {

    private static final long TIMER_MS = 5_000;

    /** The factory is called once per thread, on that thread, with its index. */
    @Test
    public void theFactoryIsCalledOncePerThreadOnThatThread() throws Exception {
        AtomicReference<TaskScheduler> holder = new AtomicReference<>();
        List<Integer> indexSeenInside = new ArrayList<>();
        RecordingPollerFactory recording = new RecordingPollerFactory();
        TaskScheduler scheduler = newScheduler(3, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false, thread -> {
            synchronized (indexSeenInside) {
                indexSeenInside.add(holder.get().currentThread() == thread ? thread : -1);
            }
            return recording.newPoller(thread);
        });
        holder.set(scheduler);
        scheduler.start();

        assertEquals(3, recording.calls.size());
        Set<Integer> threads = new HashSet<>();
        for (RecordingPollerFactory.Call call : recording.calls) {
            threads.add(call.thread());
            assertSame(workerThread(scheduler, call.thread()), call.caller());
        }
        assertEquals(Set.of(0, 1, 2), threads);
        synchronized (indexSeenInside) {
            assertEquals(Set.of(0, 1, 2), new HashSet<>(indexSeenInside));
        }
    }

    /** An idle thread without timers polls with Poller.FOREVER. */
    @Test
    public void anIdleThreadWithoutTimersPollsForever() throws Exception {
        RecordingPollerFactory pollers = new RecordingPollerFactory();
        started(newScheduler(2, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false, pollers));
        for (int i = 0; i < 2; i++) {
            RecordingPoller poller = pollers.poller(i);
            waitUntil("a first poll", () -> poller.polls() > 0);
            assertEquals(Poller.FOREVER, poller.timeout(0));
        }
    }

    /** A thread with pending work polls with timeout 0: a self-waking tasklet at depth 1 leaves work each loop. */
    @Test
    public void aThreadWithPendingWorkDoesNotWait() throws Exception {
        RecordingPollerFactory pollers = new RecordingPollerFactory();
        TaskScheduler scheduler = started(newScheduler(1, 1, false, pollers));
        RecordingPoller poller = pollers.poller(0);
        int runs = 5;
        int[] pollsAtRun = new int[runs];
        AtomicInteger run = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        scheduler.newTasklet(0, (t, ctx, state) -> {
            int n = run.getAndIncrement();
            pollsAtRun[n] = poller.polls();
            if (n + 1 < runs) {
                t.wakeup(WOKEN_OTHER);
                return t;
            }
            done.countDown();
            return null;
        }, null).wakeup(WOKEN_INIT);
        await(done, "the self-waking runs");
        for (int n = 0; n + 1 < runs; n++) {
            int index = pollsAtRun[n];
            waitUntil("a poll after run " + n, () -> poller.polls() > index);
            assertEquals("poll after run " + n, 0, poller.timeout(index));
        }
    }

    /** An idle thread with a timer polls with a timeout close to the time left until its expiry. */
    @Test
    public void anIdleThreadWithATimerPollsUntilItsExpiry() throws Exception {
        RecordingPollerFactory pollers = new RecordingPollerFactory();
        TaskScheduler scheduler = started(newScheduler(1, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false, pollers));
        RecordingPoller poller = pollers.poller(0);
        Task task = scheduler.newTask(1, (t, ctx, state) -> null, null);
        int index = callOn(scheduler, 0, () -> {
            task.setExpire(scheduler.now() + TIMER_MS);
            task.queue();
            return poller.polls();
        });
        waitUntil("a poll after arming the timer", () -> poller.polls() > index);
        long timeout = poller.timeout(index);
        assertTrue("timeout " + timeout, timeout <= TIMER_MS && timeout > TIMER_MS - LATE_TOLERANCE_MS);
    }

    /** stop() closes each poller once, on its own thread. */
    @Test
    public void pollersAreClosedOnStop() throws Exception {
        RecordingPollerFactory pollers = new RecordingPollerFactory();
        TaskScheduler scheduler = started(newScheduler(2, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false, pollers));
        Thread[] workers = {workerThread(scheduler, 0), workerThread(scheduler, 1)};
        assertEquals(0, pollers.poller(0).closes.get());
        scheduler.stop();
        for (int i = 0; i < 2; i++) {
            assertEquals(1, pollers.poller(i).closes.get());
            assertSame(workers[i], pollers.poller(i).closedOn);
        }
    }
}
