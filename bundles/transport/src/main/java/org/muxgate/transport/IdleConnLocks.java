package org.muxgate.transport;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The idle-connections lock of each worker thread (HAProxy's {@code
 * IDLE_CONNS_LOCK}): it guards that thread's idle, safe and available lists of
 * every server pool, and the moment a connection of those lists changes thread.
 *
 * <p>Who takes which lock, and why it stays off the fast path:
 * <ul>
 * <li>the owner thread, to put a connection into its lists and take one out of
 *     them ({@link Reason#KEEP}, {@link Reason#TAKE}): once per reused request;
 * <li>another thread, with {@link #tryLock} only, to take a connection over
 *     ({@link Reason#TAKEOVER}): a busy thread is skipped, never waited for;
 * <li>a connection's I/O callback only while it sits in a list, which its mux
 *     knows from the tasklet's {@code USR1} flag ({@link Reason#IO_BACKEND}); a
 *     frontend connection has no list, so its I/O never locks
 *     ({@link Reason#IO_FRONTEND} counts the bug if it ever did);
 * <li>a close of a listed connection and the purge ({@link Reason#CLOSE},
 *     {@link Reason#PURGE}).
 * </ul>
 *
 * <p>Every acquisition is counted for the thread that makes it (index
 * {@link #OUTSIDE} for a thread that is no worker), by reason, so that tests and
 * statistics can see who pays for reuse. Any thread.
 */
public final class IdleConnLocks {

    /** Why a thread takes an idle-connections lock. */
    public enum Reason {
        /** The owner thread puts a connection into its lists. */
        KEEP,
        /** The owner thread takes a connection out of its own lists for a stream. */
        TAKE,
        /** Another thread takes a connection over (try-lock only). */
        TAKEOVER,
        /** The I/O callback of a listed server connection checks that it still owns it. */
        IO_BACKEND,
        /** The I/O callback of a frontend connection: never expected. */
        IO_FRONTEND,
        /** A listed connection is closed and leaves its list. */
        CLOSE,
        /** The purge takes surplus connections out of the lists. */
        PURGE
    }

    private static final Reason[] REASONS = Reason.values();

    private final ReentrantLock[] locks;
    /** Acquisitions, {@code [thread * REASONS.length + reason]}; the last row is for other threads. */
    private final AtomicLongArray acquisitions;
    /** The row of {@link #acquisitions} for threads that are not workers. */
    private final int outside;

    /** The {@code thread} index meaning "the calling thread is not a worker". */
    public static final int OUTSIDE = -1;

    IdleConnLocks(int threads) {
        locks = new ReentrantLock[threads];
        for (int i = 0; i < threads; i++) {
            locks[i] = new ReentrantLock();
        }
        outside = threads;
        acquisitions = new AtomicLongArray((threads + 1) * REASONS.length);
    }

    /**
     * Takes the lock of thread {@code owner}'s lists, waiting if needed; only the
     * owner thread itself, and the purge and closes, which hold it briefly.
     *
     * @param caller the calling worker thread, or {@link #OUTSIDE}
     */
    void lock(int owner, int caller, Reason reason) {
        locks[owner].lock();
        count(caller, reason);
    }

    /** Takes the lock of thread {@code owner}'s lists if it is free. @return whether it was taken */
    boolean tryLock(int owner, int caller, Reason reason) {
        if (!locks[owner].tryLock()) {
            return false;
        }
        count(caller, reason);
        return true;
    }

    /** Releases the lock taken with {@link #lock} or {@link #tryLock}, by the thread that took it. */
    void unlock(int owner) {
        locks[owner].unlock();
    }

    private void count(int caller, Reason reason) {
        int row = caller < 0 ? outside : caller;
        acquisitions.incrementAndGet(row * REASONS.length + reason.ordinal());
    }

    /**
     * @param thread a worker thread, or {@link #OUTSIDE}
     * @return how many times {@code thread} took an idle-connections lock for {@code reason}
     */
    public long acquisitions(int thread, Reason reason) {
        int row = thread < 0 ? outside : thread;
        return acquisitions.get(row * REASONS.length + reason.ordinal());
    }

    /** @return the acquisitions for {@code reason} summed over every thread */
    public long acquisitions(Reason reason) {
        long total = 0;
        for (int row = 0; row <= outside; row++) {
            total += acquisitions.get(row * REASONS.length + reason.ordinal());
        }
        return total;
    }
}
