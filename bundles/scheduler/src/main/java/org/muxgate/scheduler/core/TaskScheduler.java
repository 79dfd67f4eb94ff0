package org.muxgate.scheduler.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.muxgate.api.scheduler.PollerFactory;
import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.scheduler.Tasklet;
import org.muxgate.api.scheduler.ThreadActivity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task scheduler: worker threads, each with its own run and wait queues, plus
 * a shared run queue and a shared wait queue for the tasks of several threads.
 *
 * <p>Plain Java: build it, {@link #start()} it, {@link #stop()} it. Thread-safe;
 * {@code start} and {@code stop} may be called from any thread but a worker.
 */
public final class TaskScheduler implements Scheduler {

    private static final Logger LOG = LoggerFactory.getLogger(TaskScheduler.class);

    /** One bit per thread in a {@code long} mask. */
    public static final int MAX_THREADS = 64;
    /** Tasks run per loop before polling again, as HAProxy's {@code tune.runqueue-depth}. */
    public static final int DEFAULT_RUNQUEUE_DEPTH = 200;

    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int STOPPED = 2;

    final String name;
    final int runQueueDepth;
    final boolean profiling;
    final PollerFactory pollers;
    private final WorkerThread[] workers;
    private final long allThreads;
    final SharedRunQueue sharedRunQueue = new SharedRunQueue();
    final SharedWaitQueue sharedWaitQueue = new SharedWaitQueue(this);

    /** Set once by stop(); read by every worker each loop. */
    volatile boolean stopping;
    /** Guarded by this. Read without it by the wait-queue ownership check. */
    private volatile int lifecycle = NEW;
    private final CountDownLatch startedThreads;
    private volatile Throwable startFailure;

    /**
     * @param name          prefix of the worker threads' names
     * @param threads       worker threads, 1 to {@value #MAX_THREADS}
     * @param runQueueDepth tasks run per loop before polling again, at least 1
     * @param profiling     whether to measure each task's CPU time and latency
     * @param pollers       creates each worker thread's poller
     */
    public TaskScheduler(String name, int threads, int runQueueDepth, boolean profiling, PollerFactory pollers) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be 1 to " + MAX_THREADS + ": " + threads);
        }
        if (runQueueDepth < 1) {
            throw new IllegalArgumentException("run queue depth must be at least 1: " + runQueueDepth);
        }
        this.name = name;
        this.runQueueDepth = runQueueDepth;
        this.profiling = profiling;
        this.pollers = pollers;
        this.allThreads = threads == MAX_THREADS ? -1L : (1L << threads) - 1;
        this.workers = new WorkerThread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new WorkerThread(this, i);
            workers[i].setUncaughtExceptionHandler((t, e) -> LOG.error("{} died", t.getName(), e));
        }
        this.startedThreads = new CountDownLatch(threads);
    }

    /** Starts the worker threads and waits until each has its poller. */
    public synchronized void start() {
        if (lifecycle != NEW) {
            throw new IllegalStateException("scheduler already started");
        }
        lifecycle = STARTED;
        for (WorkerThread worker : workers) {
            worker.start();
        }
        try {
            startedThreads.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Throwable failure = startFailure;
        if (failure != null) {
            stop();
            throw new IllegalStateException("a worker thread failed to start", failure);
        }
        LOG.info("scheduler started: {} threads, runqueue-depth {}{}", workers.length, runQueueDepth,
                profiling ? ", profiling tasks" : "");
    }

    /**
     * Stops the worker threads and joins them. Tasks still queued never run. Not
     * from a worker thread, which would wait for itself.
     */
    public synchronized void stop() {
        if (currentWorker() != null) {
            throw new IllegalStateException("a worker thread cannot stop its own scheduler");
        }
        if (lifecycle != STARTED) {
            lifecycle = STOPPED;
            return;
        }
        stopping = true;
        for (WorkerThread worker : workers) {
            worker.wakeForStop();
        }
        boolean interrupted = false;
        for (WorkerThread worker : workers) {
            while (worker.isAlive()) {
                try {
                    worker.join(TimeUnit.SECONDS.toMillis(5));
                    if (worker.isAlive()) {
                        LOG.warn("{} still running a task after 5 s, waiting", worker.getName());
                        worker.wakeForStop();
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        lifecycle = STOPPED;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        LOG.info("scheduler stopped: {} threads joined", workers.length);
    }

    void threadStarted() {
        startedThreads.countDown();
    }

    void threadFailedToStart(WorkerThread worker, Throwable failure) {
        LOG.error("{} could not create its poller", worker.getName(), failure);
        startFailure = failure;
        startedThreads.countDown();
    }

    /** The scheduler clock, in milliseconds: monotonic, any origin. */
    static long clock() {
        return System.nanoTime() / 1_000_000L;
    }

    @Override
    public long now() {
        WorkerThread worker = currentWorker();
        return worker != null ? worker.now : clock();
    }

    @Override
    public int threadCount() {
        return workers.length;
    }

    @Override
    public long allThreads() {
        return allThreads;
    }

    @Override
    public int currentThread() {
        WorkerThread worker = currentWorker();
        return worker != null ? worker.index : -1;
    }

    /** @return the calling thread if it is one of this scheduler's workers, else null */
    WorkerThread currentWorker() {
        return Thread.currentThread() instanceof WorkerThread worker && worker.scheduler == this ? worker : null;
    }

    boolean isRunningOnCurrentThread(AbstractTask task) {
        WorkerThread worker = currentWorker();
        return worker != null && worker.current == task;
    }

    @Override
    public Task newTask(long threadMask, int flags, TaskProcess process, Object context) {
        return new TimerTask(this, threadMask, flags, process, context);
    }

    @Override
    public Tasklet newTasklet(int thread, int flags, TaskProcess process, Object context) {
        if (thread < 0 || thread >= workers.length) {
            throw new IllegalArgumentException("no thread " + thread + " among " + workers.length);
        }
        if ((flags & ~TaskState.USER_SETTABLE) != 0) {
            throw new IllegalArgumentException("not tasklet flags: 0x" + Integer.toHexString(flags));
        }
        return new TaskletImpl(this, thread, flags, process, context);
    }

    void checkMask(long mask) {
        if (mask == 0 || (mask & ~allThreads) != 0) {
            throw new IllegalArgumentException("thread mask 0x" + Long.toHexString(mask)
                    + " must name threads among 0x" + Long.toHexString(allThreads));
        }
    }

    /**
     * The worker owning a single-thread task's wait queue, if the caller may touch it:
     * that worker itself, or anyone while the workers are not running.
     *
     * @throws IllegalStateException for any other thread: the task needed SHARED_WQ
     */
    WorkerThread ownerOf(TimerTask task) {
        WorkerThread owner = workers[task.owner()];
        if (Thread.currentThread() != owner && lifecycle == STARTED) {
            throw new IllegalStateException(Thread.currentThread().getName() + " touched the wait queue of "
                    + owner.getName() + " for " + task + ", which lacks SHARED_WQ");
        }
        return owner;
    }

    /** Called by whoever marked the task QUEUED: puts it where a thread of its mask will run it. */
    void enqueue(AbstractTask task) {
        if (profiling) {
            task.wokenAt = System.nanoTime();
        }
        int owner = task.runQueueOwner();
        if (owner >= 0) {
            WorkerThread worker = workers[owner];
            if (Thread.currentThread() == worker) {
                worker.enqueueLocal(task);
            } else {
                worker.pushToInbox(task);
            }
        } else {
            TimerTask timerTask = (TimerTask) task;
            sharedRunQueue.add(timerTask);
            wakeOneSleeper(timerTask.threadMask(), true);
        }
    }

    /**
     * Makes sure a thread of {@code mask} will look at the shared queues soon: wakes
     * one that sleeps; one that does not sleep looks before it does.
     *
     * @param callerWillLook whether a calling worker of the mask suffices: it looks
     *                       at the queues before it sleeps
     */
    void wakeOneSleeper(long mask, boolean callerWillLook) {
        WorkerThread self = currentWorker();
        if (callerWillLook && self != null && (mask & self.bit) != 0) {
            return;
        }
        for (long m = mask & allThreads; m != 0; m &= m - 1) {
            WorkerThread worker = workers[Long.numberOfTrailingZeros(m)];
            if (worker != self && worker.isSleeping() && worker.wake()) {
                return;
            }
        }
    }

    @Override
    public List<ThreadActivity> activity() {
        List<ThreadActivity> snapshot = new ArrayList<>(workers.length);
        for (WorkerThread worker : workers) {
            snapshot.add(worker.activity());
        }
        return snapshot;
    }

    /**
     * Verifies the queues' invariants: heap order, recorded positions, and that each
     * task is in the wait queue its SHARED_WQ flag and owner call for. The shared
     * queues are checked under their locks; a thread's own queues only from that
     * thread or once the scheduler stopped. For tests.
     */
    public void checkConsistency() {
        sharedWaitQueue.checkConsistency();
        sharedRunQueue.checkConsistency();
        WorkerThread self = currentWorker();
        for (WorkerThread worker : workers) {
            if (worker == self || lifecycle != STARTED) {
                worker.checkConsistency();
            }
        }
    }

    /** @return armed timers in the shared wait queue; for tests and statistics */
    public int armedSharedTimers() {
        return sharedWaitQueue.armedCount();
    }
}
