package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.scheduler.ThreadActivity;

/**
 * Many threads waking many tasks of every kind for a bounded time. Asserts the
 * scheduler's promises: every wakeup is followed by a run that starts after it, no
 * task ever runs on two threads at once or off its mask, and the counters add up.
 */
public class SchedulerStressTest {

    private static final int THREADS = 4;
    private static final int TARGETS = 256;
    private static final int WORKER_WAKERS = THREADS;
    private static final int EXTERNAL_WAKERS = 2;
    private static final long DURATION_MS = 3_000;

    /** A woken task's bookkeeping. */
    private static final class Target {
        final AtomicLong wakes = new AtomicLong();
        final AtomicBoolean inRun = new AtomicBoolean();
        final AtomicLong runs = new AtomicLong();
        volatile long wakesSeenAtLastRun;
        volatile Schedulable task;
        long mask;
    }

    private final AtomicLong violations = new AtomicLong();
    private final List<String> violationSamples = new ArrayList<>();

    private void violation(String what) {
        violations.incrementAndGet();
        synchronized (violationSamples) {
            if (violationSamples.size() < 10) {
                violationSamples.add(what);
            }
        }
    }

    @Test
    public void everyWakeupRunsOnceAtATimeOnItsMask() throws Exception {
        TaskScheduler scheduler = new TaskScheduler("stress", THREADS, 16, false, ParkingPoller.FACTORY);
        SplittableRandom random = new SplittableRandom(42);
        Target[] targets = new Target[TARGETS];
        for (int i = 0; i < TARGETS; i++) {
            targets[i] = newTarget(scheduler, i, random);
        }
        AtomicBoolean stopWaking = new AtomicBoolean();
        AtomicLong wakersDone = new AtomicLong();

        // Wakers on the worker threads: self-waking tasklets waking random targets.
        List<Schedulable> workerWakers = new ArrayList<>();
        for (int w = 0; w < WORKER_WAKERS; w++) {
            SplittableRandom own = random.split();
            workerWakers.add(scheduler.newTasklet(w % THREADS, (t, ctx, state) -> {
                if (stopWaking.get()) {
                    wakersDone.incrementAndGet();
                    return null;
                }
                for (int k = 0; k < 8; k++) {
                    wake(targets[own.nextInt(TARGETS)]);
                }
                t.wakeup(TaskState.WOKEN_OTHER);
                return t;
            }, null));
        }
        scheduler.start();
        try {
            workerWakers.forEach(w -> w.wakeup(TaskState.WOKEN_INIT));
            // Wakers outside the scheduler, like an admin thread or a timer from elsewhere.
            List<Thread> external = new ArrayList<>();
            for (int e = 0; e < EXTERNAL_WAKERS; e++) {
                SplittableRandom own = random.split();
                Thread thread = new Thread(() -> {
                    while (!stopWaking.get()) {
                        wake(targets[own.nextInt(TARGETS)]);
                        if (own.nextInt(64) == 0) {
                            Thread.yield();
                        }
                    }
                }, "external-waker-" + e);
                external.add(thread);
                thread.start();
            }
            Thread.sleep(DURATION_MS);
            stopWaking.set(true);
            for (Thread thread : external) {
                thread.join();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(wakersDone.get() == WORKER_WAKERS && allCaughtUp(targets)) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            scheduler.stop();
        }

        synchronized (violationSamples) {
            assertEquals("violations: " + violationSamples, 0, violations.get());
        }
        assertEquals("self-waking wakers lost a wakeup", WORKER_WAKERS, wakersDone.get());
        long targetRuns = 0;
        long targetCalls = 0;
        long wakes = 0;
        for (Target target : targets) {
            assertEquals("a wakeup was not followed by a run", target.wakes.get(), target.wakesSeenAtLastRun);
            assertTrue("more runs than wakeups", target.runs.get() <= target.wakes.get());
            targetRuns += target.runs.get();
            targetCalls += target.task.calls();
            wakes += target.wakes.get();
        }
        assertEquals(targetRuns, targetCalls);
        long tasksRun = 0;
        for (ThreadActivity activity : scheduler.activity()) {
            tasksRun += activity.tasksRun();
        }
        long wakerCalls = 0;
        for (Schedulable waker : workerWakers) {
            wakerCalls += waker.calls();
        }
        assertEquals("thread counters vs task counters", targetCalls + wakerCalls, tasksRun);
        assertTrue("the test woke too little to prove anything: " + wakes, wakes > 10_000);
        scheduler.checkConsistency();
    }

    private static void wake(Target target) {
        target.wakes.incrementAndGet();
        target.task.wakeup(TaskState.WOKEN_MSG);
    }

    private static boolean allCaughtUp(Target[] targets) {
        for (Target target : targets) {
            if (target.wakesSeenAtLastRun != target.wakes.get()) {
                return false;
            }
        }
        return true;
    }

    /** Targets of every kind: tasklets, single-thread tasks, multi-thread tasks, niced or not. */
    private Target newTarget(TaskScheduler scheduler, int index, SplittableRandom random) {
        Target target = new Target();
        int kind = index % 4;
        org.muxgate.api.scheduler.TaskProcess process = (t, ctx, state) -> {
            if (!target.inRun.compareAndSet(false, true)) {
                violation("task " + index + " ran on two threads at once");
            }
            // Read before anything else: a wakeup counted after this must cause another run.
            target.wakesSeenAtLastRun = target.wakes.get();
            int thread = scheduler.currentThread();
            if (thread < 0 || (target.mask & (1L << thread)) == 0) {
                violation("task " + index + " ran on thread " + thread + " outside mask " + target.mask);
            }
            if ((state & TaskState.RUNNING) != 0 || (state & TaskState.WOKEN_ANY) == 0) {
                violation("task " + index + " got state 0x" + Integer.toHexString(state));
            }
            // Stay a little, so that other threads' wakeups land while the task runs.
            for (int spin = 0; spin < 64; spin++) {
                Thread.onSpinWait();
            }
            target.runs.incrementAndGet();
            target.inRun.set(false);
            return t;
        };
        switch (kind) {
            case 0 -> {
                int thread = random.nextInt(THREADS);
                target.mask = 1L << thread;
                target.task = scheduler.newTasklet(thread, process, null);
            }
            case 1 -> {
                target.mask = 1L << random.nextInt(THREADS);
                target.task = scheduler.newTask(target.mask, process, null);
            }
            case 2 -> {
                long mask = 0;
                while (Long.bitCount(mask) < 2) {
                    mask |= 1L << random.nextInt(THREADS);
                }
                target.mask = mask;
                target.task = scheduler.newTask(mask, process, null);
            }
            default -> {
                target.mask = scheduler.allThreads();
                Task task = scheduler.newTask(target.mask, process, null);
                task.setNice(random.nextInt(-1024, 1025));
                target.task = task;
            }
        }
        return target;
    }
}
