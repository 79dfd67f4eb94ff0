package org.muxgate.scheduler.core;

import static org.muxgate.api.scheduler.TaskState.HEAVY;
import static org.muxgate.api.scheduler.TaskState.KILLED;
import static org.muxgate.api.scheduler.TaskState.SELF_WAKING;
import static org.muxgate.api.scheduler.TaskState.WOKEN_TIMER;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.muxgate.api.scheduler.Poller;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.ThreadActivity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker thread and everything it owns: its inbox, its tasklet classes, its run
 * queue and its wait queue. Apart from the inbox, the {@link #sleeping} flag and
 * the statistics, every field is touched by this thread only, without locks.
 *
 * <p>The loop: wake expired timers, run tasks within a budget shared by classes
 * (urgent tasklets, normal tasks and tasklets, bulk self-wakers, at most one heavy
 * task), then poll with a timeout equal to the next expiry, or none if work is left.
 */
final class WorkerThread extends Thread {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerThread.class);

    static final int URGENT = 0;
    static final int NORMAL = 1;
    static final int BULK = 2;
    static final int HEAVY_CLASS = 3;
    /** Shares of the loop budget, as HAProxy's: about 50% urgent, 37% normal, 13% bulk. */
    private static final int[] WEIGHTS = {64, 48, 16, 1};

    private static final int LOOPS = 0;
    private static final int TASKS_RUN = 1;
    private static final int RUN_QUEUE_LENGTH = 2;
    private static final int POLL_NANOS = 3;
    private static final int SLEEPS = 4;
    private static final int WAKEUPS = 5;

    private static final VarHandle SLEEPING;
    private static final VarHandle STAT = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            SLEEPING = MethodHandles.lookup().findVarHandle(WorkerThread.class, "sleeping", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final TaskScheduler scheduler;
    final int index;
    final long bit;

    final Inbox inbox = new Inbox();
    final TaskHeap.WaitQueue waitQueue = new TaskHeap.WaitQueue();
    private final TaskHeap.RunQueue runQueue = new TaskHeap.RunQueue();
    /** Insertions into {@link #runQueue} so far, the base of its keys. */
    private long runQueueTicks;
    private final TaskList[] classes = {new TaskList(), new TaskList(), new TaskList(), new TaskList()};

    /** The class being run, or -1 outside of task processing. */
    private int currentClass = -1;
    /** The task being run, or null. Read by other code on this thread only. */
    AbstractTask current;
    /** This loop's date in scheduler milliseconds. */
    long now;

    /** 1 while the thread announces it may block in its poller; cleared by whoever wakes it. */
    @SuppressWarnings("unused") // accessed through SLEEPING
    private volatile int sleeping;
    /** Written by this thread before it first sets {@link #sleeping}, which publishes it. */
    private Poller poller;

    /** Written by this thread with opaque stores, read by anyone. */
    private final long[] stats = new long[6];
    private long loops;
    private long tasksRun;
    private long pollNanos;
    private long sleeps;
    private long wakeups;

    WorkerThread(TaskScheduler scheduler, int index) {
        super(scheduler.name + "-worker-" + index);
        this.scheduler = scheduler;
        this.index = index;
        this.bit = 1L << index;
    }

    @Override
    public void run() {
        try {
            poller = scheduler.pollers.newPoller(index);
        } catch (RuntimeException | Error e) {
            scheduler.threadFailedToStart(this, e);
            return;
        }
        try {
            scheduler.threadStarted();
            now = TaskScheduler.clock();
            while (!scheduler.stopping) {
                loops++;
                wakeExpiredTasks();
                processRunnableTasks();
                poll();
            }
        } finally {
            poller.close();
        }
    }

    private void wakeExpiredTasks() {
        TimerTask task;
        while ((task = waitQueue.pollExpired(now)) != null) {
            task.wakeup(WOKEN_TIMER);
        }
        if (scheduler.sharedWaitQueue.nextKey() <= now) {
            scheduler.sharedWaitQueue.wakeExpired(now);
        }
    }

    /** Runs tasks and tasklets until the budget is spent or nothing is left. */
    private void processRunnableTasks() {
        int budget = scheduler.runQueueDepth;
        boolean heavyDone = false;
        SharedRunQueue shared = scheduler.sharedRunQueue;
        while (budget > 0) {
            drainInbox();
            int urgent = classes[URGENT].isEmpty() ? 0 : WEIGHTS[URGENT];
            int normal = classes[NORMAL].isEmpty() && runQueue.isEmpty() && !shared.mayHaveWork() ? 0 : WEIGHTS[NORMAL];
            int bulk = classes[BULK].isEmpty() ? 0 : WEIGHTS[BULK];
            int heavy = classes[HEAVY_CLASS].isEmpty() || heavyDone ? 0 : WEIGHTS[HEAVY_CLASS];
            int total = urgent + normal + bulk + heavy;
            if (total == 0) {
                break;
            }
            int maxNormal = share(budget, normal, total);
            if (normal > 0) {
                fillNormalClass(maxNormal - classes[NORMAL].size(), shared);
            }
            int done = runClass(URGENT, share(budget, urgent, total))
                    + runClass(NORMAL, maxNormal)
                    + runClass(BULK, share(budget, bulk, total));
            if (heavy > 0) {
                int ran = runClass(HEAVY_CLASS, 1);
                heavyDone = ran > 0;
                done += ran;
            }
            if (done == 0) {
                break;
            }
            budget -= done;
        }
    }

    private static int share(int budget, int weight, int total) {
        return (budget * weight + total - 1) / total;
    }

    /** Moves tasks from the run queues to the normal class: shared ones get at least half the room. */
    private void fillNormalClass(int room, SharedRunQueue shared) {
        if (room <= 0) {
            return;
        }
        if (shared.mayHaveWork()) {
            room -= shared.moveTo(this, (room + 1) / 2);
        }
        TimerTask task;
        while (room > 0 && (task = runQueue.poll()) != null) {
            takeRunnable(task);
            room--;
        }
        if (room > 0 && shared.mayHaveWork()) {
            shared.moveTo(this, room);
        }
    }

    /** This thread: a task leaving a run queue joins the normal class, or the heavy one. */
    void takeRunnable(TimerTask task) {
        classes[(task.state() & HEAVY) != 0 ? HEAVY_CLASS : NORMAL].add(task);
    }

    /** @return the tasks taken from the class, run or dropped: what the budget counts */
    private int runClass(int taskClass, int max) {
        TaskList list = classes[taskClass];
        currentClass = taskClass;
        int done = 0;
        AbstractTask task;
        while (done < max && (task = list.poll()) != null) {
            runOne(task);
            done++;
        }
        currentClass = -1;
        return done;
    }

    private void runOne(AbstractTask task) {
        int state = task.claim();
        try {
            if ((state & (AbstractTask.FREED | KILLED)) != 0) {
                // Killed or freed while queued: it never runs again; unlink it here, on its thread.
                task.free();
                return;
            }
            Schedulable kept = run(task, state);
            if (kept == null) {
                task.free();
            } else {
                task.release();
            }
        } catch (RuntimeException e) {
            // The task broke a rule of its contract (a timer left where this thread may not put it).
            LOG.error("{} broke the scheduler's rules and is freed", task, e);
            task.free();
        }
    }

    /** Calls the process callback of a claimed task; a failure frees the task, never the thread. */
    private Schedulable run(AbstractTask task, int state) {
        if ((state & WOKEN_TIMER) != 0) {
            // Another thread may have seen the expiry at a date later than this loop's:
            // a task woken by its timer never sees a date before its expiry.
            now = TaskScheduler.clock();
        }
        boolean profiling = scheduler.profiling;
        long start = 0;
        if (profiling) {
            start = System.nanoTime();
            task.latencyNanos += start - task.wokenAt;
        }
        current = task;
        Schedulable kept;
        try {
            kept = task.process.process(task, task.context(), state);
        } catch (RuntimeException | Error e) {
            LOG.error("{} failed and is freed", task, e);
            kept = null;
        }
        current = null;
        task.calls++;
        tasksRun++;
        if (profiling) {
            task.cpuNanos += System.nanoTime() - start;
        }
        return kept;
    }

    /** Moves what other threads woke for this thread to its own queues, in arrival order. */
    private void drainInbox() {
        AbstractTask task = inbox.takeAll();
        while (task != null) {
            AbstractTask following = task.next;
            task.next = null;
            enqueueLocal(task);
            task = following;
        }
    }

    /** This thread, for a task it or another thread marked QUEUED. */
    void enqueueLocal(AbstractTask task) {
        if (task instanceof TimerTask timerTask) {
            timerTask.rqKey = timerTask.runQueueKey(runQueueTicks++);
            runQueue.add(timerTask);
            return;
        }
        int state = task.state();
        int taskClass;
        if ((state & HEAVY) != 0) {
            taskClass = HEAVY_CLASS;
        } else if ((state & SELF_WAKING) != 0) {
            taskClass = BULK;
        } else if (currentClass == NORMAL || currentClass == BULK) {
            // Woken by a task: runs in the same class, after what is already there.
            taskClass = currentClass;
        } else {
            // Woken by I/O, a timer or another thread: a connection is waiting.
            taskClass = URGENT;
        }
        classes[taskClass].add(task);
    }

    /** Any thread, for a task it marked QUEUED and whose thread this is. */
    void pushToInbox(AbstractTask task) {
        inbox.push(task);
        if ((int) SLEEPING.getVolatile(this) != 0) {
            wake();
        }
    }

    /**
     * Any thread: wakes this thread if it sleeps, or is about to, in its poller.
     *
     * @return whether this call woke it
     */
    boolean wake() {
        if (SLEEPING.compareAndSet(this, 1, 0)) {
            // Counted by this thread when it finds the flag cleared: no write to its stats here.
            poller.wakeup();
            return true;
        }
        return false;
    }

    boolean isSleeping() {
        return (int) SLEEPING.getVolatile(this) != 0;
    }

    /** Any thread, as the scheduler stops: wakes the thread whatever it does. */
    void wakeForStop() {
        SLEEPING.setVolatile(this, 0);
        Poller p = poller;
        if (p != null) {
            p.wakeup();
        }
    }

    private boolean hasLocalWork() {
        return !classes[URGENT].isEmpty() || !classes[NORMAL].isEmpty() || !classes[BULK].isEmpty()
                || !classes[HEAVY_CLASS].isEmpty() || !runQueue.isEmpty() || !inbox.isEmpty();
    }

    /**
     * Polls without waiting when work is left; otherwise announces that the thread
     * sleeps, then checks once more for work other threads may have queued before
     * seeing the announcement, then waits until the next expiry. Wakers queue first
     * and read {@link #sleeping} after, so one side always sees the other.
     */
    private void poll() {
        long timeout = 0;
        if (!hasLocalWork()) {
            SLEEPING.setVolatile(this, 1);
            SharedRunQueue shared = scheduler.sharedRunQueue;
            if (!inbox.isEmpty() || shared.mayHaveWork() && shared.hasWorkFor(bit)) {
                SLEEPING.setVolatile(this, 0);
            } else {
                long next = Math.min(waitQueue.peekKey(), scheduler.sharedWaitQueue.nextKey());
                timeout = next == Task.ETERNITY ? Poller.FOREVER : Math.max(0, next - TaskScheduler.clock());
                if (timeout == 0) {
                    SLEEPING.setVolatile(this, 0);
                } else {
                    sleeps++;
                }
            }
        }
        if (timeout != 0) {
            // The thread may sleep long: let the snapshot show what it did until now.
            publishStats();
        }
        long before = System.nanoTime();
        poller.poll(timeout);
        long after = System.nanoTime();
        if (timeout != 0 && (int) SLEEPING.getAndSet(this, 0) == 0) {
            // Another thread cleared the flag: it woke this one.
            wakeups++;
        }
        pollNanos += after - before;
        now = after / 1_000_000L;
        publishStats();
    }

    private void publishStats() {
        STAT.setOpaque(stats, LOOPS, loops);
        STAT.setOpaque(stats, TASKS_RUN, tasksRun);
        STAT.setOpaque(stats, POLL_NANOS, pollNanos);
        STAT.setOpaque(stats, SLEEPS, sleeps);
        STAT.setOpaque(stats, WAKEUPS, wakeups);
        long queued = runQueue.size();
        for (TaskList list : classes) {
            queued += list.size();
        }
        STAT.setOpaque(stats, RUN_QUEUE_LENGTH, queued);
    }

    ThreadActivity activity() {
        return new ThreadActivity(index, (long) STAT.getOpaque(stats, LOOPS), (long) STAT.getOpaque(stats, TASKS_RUN),
                (int) (long) STAT.getOpaque(stats, RUN_QUEUE_LENGTH), (long) STAT.getOpaque(stats, POLL_NANOS),
                (long) STAT.getOpaque(stats, SLEEPS), (long) STAT.getOpaque(stats, WAKEUPS));
    }

    /** Checks the local queues; only on this thread, or once it ended. */
    void checkConsistency() {
        waitQueue.checkConsistency();
        runQueue.checkConsistency();
        for (int i = 0; i < waitQueue.size(); i++) {
            TimerTask task = waitQueue.at(i);
            if (task.usesSharedWaitQueue() || task.owner() != index) {
                throw new IllegalStateException(task + " is in the wait queue of thread " + index);
            }
        }
    }
}
