package org.muxgate.transport;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.transport.IdleConnLocks.Reason;

/**
 * The connections of one server that streams of any client may share
 * ({@code http-reuse} other than {@code never}), as HAProxy keeps them per server
 * and per thread: each worker thread has an <em>idle</em> list (connections used
 * once, which the server may not keep alive) and a <em>safe</em> list (used at
 * least twice: the server did keep them alive once), both under that thread's
 * idle-connections lock ({@link IdleConnLocks}). The lists are LIFO, so that the
 * warmest connection is reused first and the purge closes the oldest.
 *
 * <p>A connection is in one of these states, which only its pool changes:
 * <ul>
 * <li>{@link #USED}: serving a stream or being connected, counted in {@link #used};
 * <li>{@link #LISTED}: in a list of its thread, counted in {@link #idle}; the
 *     only state in which another thread may see it, under its thread's lock;
 * <li>{@link #IN_IO}: out of its list for the time of an I/O callback of its mux
 *     (the server closed it or spoke out of turn), still counted as idle;
 * <li>{@link #LEAVING}: taken out of its list by the purge, closing on its thread.
 * </ul>
 * Changes of state happen on the connection's thread, or under the lock of the
 * thread whose list holds it; a listed connection's state changes under that lock.
 *
 * <p>A multiplexed connection (h2) in use that can take another stream is also in
 * its thread's <em>available</em> list ({@link #setAvailable}), which streams of
 * that thread search first ({@link #takeAvailable}). Only that thread touches its
 * available list, so it has no lock: a connection in it is {@link #USED}, and a
 * connection in use never moves to another thread.
 *
 * <p>Keys: a connection is equivalent to another only if everything that reaches
 * the server is the same; the pool's lists are searched by {@link #keyOf} that.
 *
 * <p>Purge: every {@code pool-purge-delay} while connections are idle, half of the
 * connections beyond the estimated need are closed, spread over the threads as
 * their lists hold them ({@link #purge}).
 */
public final class ServerPool {

    /** Not in the pool's care: a private or frontend connection, or closed. */
    static final int OUTSIDE = 0;
    static final int USED = 1;
    static final int LISTED = 2;
    static final int IN_IO = 3;
    static final int LEAVING = 4;

    /** Ratio of the process's sockets above which no connection is kept (HAProxy's tune.pool-high-fd-ratio). */
    private static final int HIGH_FD_PERCENT = 25;
    /** Ratio below which connections beyond a thread's first ones are kept (tune.pool-low-fd-ratio). */
    private static final int LOW_FD_PERCENT = 20;

    /** A thread's two lists of this pool: heads of intrusive lists through {@link NioConnection}. */
    private static final class ThreadLists {
        /** Most recently listed first; guarded by the thread's idle-connections lock. */
        NioConnection idleHead;
        NioConnection safeHead;
        /** The oldest of each list, where the purge starts; same lock. */
        NioConnection idleTail;
        NioConnection safeTail;
        /** Multiplexed connections in use with room for a stream; the thread's own, no lock. */
        NioConnection availableHead;
    }

    private final Transport transport;
    private final IdleConnLocks locks;
    private final String name;
    private final int maxIdle;
    private final long purgeDelay;
    private final int lowIdle;
    private final ThreadLists[] lists;
    /** Connections in the lists or in {@link #IN_IO}, all threads. */
    private final AtomicInteger idle = new AtomicInteger();
    /** The same per thread: read without lock to skip threads that have none. */
    private final AtomicIntegerArray idleOnThread;
    /** Connections {@link #USED} now. */
    private final AtomicInteger used = new AtomicInteger();
    /** The most connections used at once since the last purge; approximate, as in HAProxy. */
    private volatile int maxUsed;
    /** The estimated need: a decaying maximum of {@link #maxUsed}, never below it. */
    private volatile int estimatedNeed;
    /** The thread where the next takeover search starts, so that no thread is always robbed first. */
    private final AtomicInteger nextTakeover = new AtomicInteger();
    private final Task purgeTask;
    /** The purge task's timer is armed; set by the first connection listed after none were. */
    private final AtomicBoolean purgeArmed = new AtomicBoolean();

    /**
     * @param maxIdle    {@code pool-max-conn}: the most idle connections, -1 for no limit, 0 for none
     * @param purgeDelay {@code pool-purge-delay} in ms; 0 keeps no connection idle
     * @param lowIdle    {@code pool-low-conn}: below this many idle connections, no
     *                   thread takes one from another, and connections up to this
     *                   many beyond the need are kept
     */
    ServerPool(Transport transport, String name, int maxIdle, long purgeDelay, int lowIdle) {
        this.transport = transport;
        this.locks = transport.idleLocks();
        this.name = name;
        this.maxIdle = maxIdle;
        this.purgeDelay = purgeDelay;
        this.lowIdle = lowIdle;
        Scheduler scheduler = transport.scheduler();
        int threads = scheduler.threadCount();
        this.lists = new ThreadLists[threads];
        for (int i = 0; i < threads; i++) {
            lists[i] = new ThreadLists();
        }
        this.idleOnThread = new AtomicIntegerArray(threads);
        this.purgeTask = scheduler.newTask(scheduler.allThreads(), new Purge(), this);
    }

    /**
     * The key of a server connection: what makes two connections interchangeable.
     * A connection carries its key for life.
     *
     * @param destination the server's address
     * @param source      the local address bound before connecting, or null
     * @param sni         the TLS server name sent, or null
     * @param proxyHeader the PROXY-protocol header sent first, or null
     */
    public static long keyOf(InetSocketAddress destination, InetSocketAddress source, String sni,
            String proxyHeader) {
        long h = Objects.hashCode(destination);
        h = h * 0x9E3779B97F4A7C15L + Objects.hashCode(source);
        h = h * 0x9E3779B97F4A7C15L + Objects.hashCode(sni);
        return h * 0x9E3779B97F4A7C15L + Objects.hashCode(proxyHeader);
    }

    // ---------------------------------------------------------------- streams

    /**
     * Makes a connection just opened to the server one of the pool's, in use by
     * the stream that opened it. On the connection's thread, once.
     */
    public void adopt(NioConnection connection, long key) {
        connection.poolKey = key;
        connection.pool = this;
        connection.poolState = USED;
        countUse();
    }

    /**
     * Finds, in the calling thread's available list, a multiplexed connection in use
     * that can carry one more stream; the caller attaches its stream at once, before
     * anything else runs on the thread. No lock: the list is the thread's own.
     *
     * @return the connection, still {@link #USED}, or null
     */
    public NioConnection takeAvailable(long key) {
        for (NioConnection c = lists[transport.scheduler().currentThread()].availableHead; c != null;
                c = c.availableNext) {
            if (c.poolKey == key && !c.isClosed() && !c.isCloseRequested()) {
                return c;
            }
        }
        return null;
    }

    /**
     * Puts a connection {@link #USED} in its thread's available list, or takes it out.
     * On the connection's thread, by its mux.
     */
    void setAvailable(NioConnection c, boolean available) {
        if (c.poolAvailable == available || (available && c.poolState != USED)) {
            return;
        }
        ThreadLists mine = lists[c.thread()];
        if (available) {
            c.availablePrev = null;
            c.availableNext = mine.availableHead;
            if (mine.availableHead != null) {
                mine.availableHead.availablePrev = c;
            }
            mine.availableHead = c;
        } else {
            if (c.availablePrev != null) {
                c.availablePrev.availableNext = c.availableNext;
            } else {
                mine.availableHead = c.availableNext;
            }
            if (c.availableNext != null) {
                c.availableNext.availablePrev = c.availablePrev;
            }
            c.availablePrev = null;
            c.availableNext = null;
        }
        c.poolAvailable = available;
    }

    /**
     * Finds an idle connection for a stream of the calling worker thread: in this
     * thread's lists first, then, when enough connections are idle ({@code
     * pool-low-conn}), in the other threads' lists with a try-lock, a busy thread
     * being skipped, starting after the thread where the last takeover happened.
     * A connection found on another thread is moved to this one by its mux's
     * takeover, under that thread's lock; one whose takeover fails stays there.
     *
     * @param safeOnly take only connections that were used twice (the first
     *                 request of a client with {@code http-reuse aggressive})
     * @return the connection, {@link #USED} and on the calling thread, or null
     */
    public NioConnection take(long key, boolean safeOnly) {
        int thread = transport.scheduler().currentThread();
        NioConnection found = null;
        if (idleOnThread.get(thread) > 0) {
            locks.lock(thread, thread, Reason.TAKE);
            try {
                found = unlinkMatch(thread, key, safeOnly, false);
            } finally {
                locks.unlock(thread);
            }
        }
        if (found == null && idle.get() > Math.max(lowIdle - 1, 0)) {
            found = takeOver(thread, key, safeOnly);
        }
        if (found != null) {
            countUse();
        }
        return found;
    }

    private NioConnection takeOver(int thread, long key, boolean safeOnly) {
        int threads = lists.length;
        int start = nextTakeover.get();
        for (int n = 0; n < threads; n++) {
            int owner = (start + n) % threads;
            if (owner == thread || idleOnThread.get(owner) == 0 || !locks.tryLock(owner, thread, Reason.TAKEOVER)) {
                continue;
            }
            try {
                NioConnection found = unlinkMatch(owner, key, safeOnly, true);
                if (found != null) {
                    nextTakeover.set((owner + 1) % threads);
                    return found;
                }
            } finally {
                locks.unlock(owner);
            }
        }
        return null;
    }

    /**
     * Takes the first connection matching {@code key} out of thread {@code owner}'s
     * lists, safe ones first. Under {@code owner}'s lock.
     *
     * @param moving whether the caller is another thread: the connection's mux
     *               must then take it over, and a refusal leaves it listed
     */
    private NioConnection unlinkMatch(int owner, long key, boolean safeOnly, boolean moving) {
        ThreadLists thread = lists[owner];
        for (int pass = 0; pass < (safeOnly ? 1 : 2); pass++) {
            for (NioConnection c = pass == 0 ? thread.safeHead : thread.idleHead; c != null; c = c.poolNext) {
                if (c.poolKey != key || (moving && !c.mux().takeover())) {
                    continue;
                }
                unlink(owner, c);
                idleLeft(owner);
                c.poolState = USED;
                return c;
            }
        }
        return null;
    }

    /**
     * A stream is done with a connection, whose mux offers it for reuse: it is
     * listed on its thread if the pool is not full (HAProxy's rules, {@link
     * #shouldKeep}). On the connection's thread, by its mux, with the mux's I/O
     * tasklet already flagged {@code USR1} and subscribed.
     *
     * @return whether it is listed now; if not, the mux closes it
     */
    boolean offer(NioConnection connection, boolean safe) {
        setAvailable(connection, false);
        int thread = connection.thread();
        if (connection.poolState != USED || !shouldKeep(thread, safe)) {
            return false;
        }
        locks.lock(thread, thread, Reason.KEEP);
        try {
            connection.poolSafe = safe;
            link(thread, connection);
            connection.poolState = LISTED;
        } finally {
            locks.unlock(thread);
        }
        idle.incrementAndGet();
        idleOnThread.incrementAndGet(thread);
        used.decrementAndGet();
        armPurge();
        return true;
    }

    /**
     * HAProxy's rule for keeping a connection: sockets are not scarce, the pool is
     * under {@code pool-max-conn}, and either this thread has none of this kind
     * yet (a first connection is always worth keeping), or sockets are plentiful
     * and the connections would not exceed the estimated need by more than
     * {@code pool-low-conn}. The counters are read without lock: a rule of thumb.
     */
    private boolean shouldKeep(int thread, boolean safe) {
        if (purgeDelay <= 0 || maxIdle == 0 || (maxIdle > 0 && idle.get() >= maxIdle)) {
            return false;
        }
        int sockets = transport.openConnections();
        long maxSockets = transport.maxSockets();
        if (sockets * 100L >= maxSockets * HIGH_FD_PERCENT) {
            return false;
        }
        ThreadLists mine = lists[thread];
        // Racy reads of the heads: only this thread links into its lists.
        if (mine.safeHead == null && (safe || mine.idleHead == null)) {
            return true;
        }
        int inUse = used.get();
        return sockets * 100L < maxSockets * LOW_FD_PERCENT
                && inUse + idle.get() <= Math.max(inUse, estimatedNeed) + lowIdle;
    }

    // ---------------------------------------------------------------- the connection's thread

    /**
     * The start of an I/O callback of a listed connection's mux: under the calling
     * thread's lock, checks that the tasklet still has its context (a takeover
     * clears it, holding that lock throughout), then takes the connection out of
     * its list for the callback. On the tasklet's thread, which owned the
     * connection when the tasklet was made.
     *
     * @return false when the connection was taken over: the tasklet frees itself
     */
    static boolean beginIo(NioConnection connection, Schedulable tasklet, IdleConnLocks locks, int thread,
            Reason reason) {
        locks.lock(thread, thread, reason);
        try {
            if (tasklet.context() == null) {
                return false;
            }
            ServerPool pool = connection.pool;
            if (pool != null && connection.poolState == LISTED) {
                pool.unlink(thread, connection);
                connection.poolState = IN_IO;
            }
            return true;
        } finally {
            locks.unlock(thread);
        }
    }

    /** The end of that callback: the connection goes back to its list, unless it is closing. */
    void endIo(NioConnection connection) {
        if (connection.poolState != IN_IO || connection.isClosed() || connection.isCloseRequested()) {
            return;
        }
        int thread = connection.thread();
        locks.lock(thread, thread, Reason.IO_BACKEND);
        try {
            link(thread, connection);
            connection.poolState = LISTED;
        } finally {
            locks.unlock(thread);
        }
    }

    /** A connection of the pool closes, on its thread: it leaves its list and the counts. */
    void closed(NioConnection connection) {
        setAvailable(connection, false);
        int thread = connection.thread();
        switch (connection.poolState) {
            case USED -> used.decrementAndGet();
            case LISTED -> {
                locks.lock(thread, thread, Reason.CLOSE);
                try {
                    unlink(thread, connection);
                } finally {
                    locks.unlock(thread);
                }
                idleLeft(thread);
            }
            case IN_IO -> idleLeft(thread);
            default -> {
                // LEAVING: the purge counted it out already.
            }
        }
        connection.poolState = OUTSIDE;
    }

    // ---------------------------------------------------------------- purge

    /** Any worker thread: runs every purge delay while connections are idle. */
    private final class Purge implements TaskProcess {
        @Override
        public Schedulable process(Schedulable task, Object context, int state) {
            purge();
            long now = transport.scheduler().now();
            purgeArmed.set(false);
            if (idle.get() > 0 && purgeArmed.compareAndSet(false, true)) {
                purgeTask.setExpire(now + purgeDelay);
            } else if (!purgeArmed.get()) {
                purgeTask.setExpire(Task.ETERNITY);
            }
            // Else a connection listed meanwhile armed the timer (armPurge): it stands.
            return task;
        }
    }

    private void armPurge() {
        if (!purgeArmed.get() && purgeArmed.compareAndSet(false, true)) {
            purgeTask.schedule(transport.scheduler().now() + purgeDelay);
        }
    }

    /**
     * Closes half (rounded up) of the connections beyond the need: those in use now
     * and idle, above the largest of the most used since the last purge and the
     * estimate, which then decays towards that most. Each thread gives its share
     * in proportion to what it holds, oldest first, idle before safe; the
     * connections close on their own threads. On any worker thread, taking each
     * thread's lock in turn.
     */
    void purge() {
        int idleNow = idle.get();
        int max = maxUsed;
        int exceed = used.get() + idleNow - Math.max(max, estimatedNeed);
        int toKill = exceed / 2 + (exceed & 1);
        int estimate = (estimatedNeed + max) / 2;
        estimatedNeed = Math.max(estimate, max);
        maxUsed = used.get();
        if (toKill <= 0 || idleNow <= 0) {
            return;
        }
        int caller = transport.scheduler().currentThread();
        for (int n = 0; n < lists.length && toKill > 0; n++) {
            int thread = (Math.max(caller, 0) + n) % lists.length;
            int held = idleOnThread.get(thread);
            if (held > 0) {
                int share = (int) ((long) toKill * held / idleNow) + 1;
                toKill -= removeOldest(thread, Math.min(share, toKill));
            }
        }
    }

    /** @return how many connections were taken out of {@code thread}'s lists to close */
    private int removeOldest(int thread, int count) {
        ThreadLists mine = lists[thread];
        int removed = 0;
        NioConnection closing = null;
        locks.lock(thread, transport.scheduler().currentThread(), Reason.PURGE);
        try {
            while (removed < count) {
                NioConnection c = mine.idleTail != null ? mine.idleTail : mine.safeTail;
                if (c == null) {
                    break;
                }
                unlink(thread, c);
                c.poolState = LEAVING;
                // Chained through poolNext, which unlink cleared, to close after the lock.
                c.poolNext = closing;
                closing = c;
                removed++;
            }
        } finally {
            locks.unlock(thread);
        }
        for (NioConnection c = closing; c != null;) {
            NioConnection next = c.poolNext;
            c.poolNext = null;
            idleLeft(thread);
            c.requestClose();
            c = next;
        }
        return removed;
    }

    // ---------------------------------------------------------------- lists and counts

    /** Under {@code thread}'s lock. */
    private void link(int thread, NioConnection c) {
        ThreadLists mine = lists[thread];
        NioConnection head = c.poolSafe ? mine.safeHead : mine.idleHead;
        c.poolPrev = null;
        c.poolNext = head;
        if (head != null) {
            head.poolPrev = c;
        } else if (c.poolSafe) {
            mine.safeTail = c;
        } else {
            mine.idleTail = c;
        }
        if (c.poolSafe) {
            mine.safeHead = c;
        } else {
            mine.idleHead = c;
        }
    }

    /** Under {@code thread}'s lock. */
    private void unlink(int thread, NioConnection c) {
        ThreadLists mine = lists[thread];
        if (c.poolPrev != null) {
            c.poolPrev.poolNext = c.poolNext;
        } else if (c.poolSafe) {
            mine.safeHead = c.poolNext;
        } else {
            mine.idleHead = c.poolNext;
        }
        if (c.poolNext != null) {
            c.poolNext.poolPrev = c.poolPrev;
        } else if (c.poolSafe) {
            mine.safeTail = c.poolPrev;
        } else {
            mine.idleTail = c.poolPrev;
        }
        c.poolPrev = null;
        c.poolNext = null;
    }

    private void idleLeft(int thread) {
        idle.decrementAndGet();
        idleOnThread.decrementAndGet(thread);
    }

    /** As HAProxy's srv_use_conn: counts a use and raises the maximum and the estimate. */
    private void countUse() {
        int now = used.incrementAndGet();
        if (maxUsed < now) {
            maxUsed = now;
        }
        if (estimatedNeed < now) {
            estimatedNeed = now;
        }
    }

    /** Stops the purge; the transport's stop closes the connections. */
    void stop() {
        purgeTask.kill();
    }

    // ---------------------------------------------------------------- statistics

    /** @return the connections idle now (listed or being checked), all threads */
    public int idle() {
        return idle.get();
    }

    /** @return the idle connections of {@code thread} */
    public int idleOn(int thread) {
        return idleOnThread.get(thread);
    }

    /** @return the connections serving a stream or connecting now */
    public int used() {
        return used.get();
    }

    @Override
    public String toString() {
        return "connection pool of server " + name;
    }
}
