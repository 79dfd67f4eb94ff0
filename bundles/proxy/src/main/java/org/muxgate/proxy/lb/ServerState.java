package org.muxgate.proxy.lb;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.muxgate.proxy.config.Server;

/**
 * A server's run-time state: shared by every worker thread.
 *
 * <p>Health, maintenance and weight are volatile fields, written by whoever manages
 * the server (health checks, the CLI, a new configuration) without any lock: the
 * balancers derive no structure from them but read them again at every pick, so a
 * change is seen by the next pick.
 *
 * <p>The connection count is atomic. Only the balancer increments it, under its lock,
 * after checking the free slot (a pick, or a queue given a free slot): two picks
 * therefore cannot both take a server's last slot. {@link LoadBalancer#release}
 * decrements it from any thread, without the lock while nothing is queued, since
 * freeing a slot never breaks a limit.
 */
public final class ServerState {

    private final Server config;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean up;
    private volatile boolean maintenance;
    private volatile int weight;
    /**
     * HAProxy's check statistics: written only by the server's health check, on its
     * thread (hence plain increments of volatiles); read by any thread.
     */
    private volatile long checksPassed;
    private volatile long checksFailed;
    private volatile long downTransitions;
    /**
     * When the current slow start began and ends, on the scheduler's clock; {@link
     * #rampEnd} 0 when none ever began. Written by the health check on its thread
     * ({@link #setUp}), start before end, read by any pick.
     */
    private volatile long rampStart;
    private volatile long rampEnd;
    /** The requests waiting for this server in particular, oldest first. Guarded by its balancer's lock. */
    final ArrayDeque<Waiter> queue = new ArrayDeque<>();

    public ServerState(Server config) {
        this.config = Objects.requireNonNull(config, "config");
        // HAProxy's `disabled` puts a server in maintenance and stopped at once
        // (srv_parse_disabled); any other server starts up until checks say otherwise.
        this.up = !config.disabled();
        this.maintenance = config.disabled();
        this.weight = config.weight();
    }

    public Server config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public InetSocketAddress address() {
        return config.address();
    }

    public boolean isBackup() {
        return config.backup();
    }

    /** Up, not in maintenance, and of weight above 0: a weight-0 server takes no balanced traffic. */
    public boolean isUsable() {
        return up && !maintenance && weight > 0;
    }

    public boolean isUp() {
        return up;
    }

    /**
     * The health state; set by the server's health check, on its thread, which counts
     * the falls. Coming back up starts the server's slow start, if it has one: never at
     * startup, where HAProxy does not ramp either, since every server would start at once.
     *
     * @param now the scheduler's clock in milliseconds
     */
    public void setUp(boolean up, long now) {
        if (this.up && !up) {
            downTransitions++;
        }
        long slowstart = config.limits().slowstart().toMillis();
        if (!this.up && up && slowstart > 0) {
            rampStart = now;
            rampEnd = now + slowstart;
        }
        this.up = up;
    }

    /** Counts a check's result; the server's health check, on its thread. */
    public void countCheck(boolean passed) {
        if (passed) {
            checksPassed++;
        } else {
            checksFailed++;
        }
    }

    /** @return the checks that passed since the start; any thread */
    public long checksPassed() {
        return checksPassed;
    }

    /** @return the checks that failed since the start (HAProxy's chkfail); any thread */
    public long checksFailed() {
        return checksFailed;
    }

    /** @return how many times the server went from up to down (HAProxy's chkdown); any thread */
    public long downTransitions() {
        return downTransitions;
    }

    public boolean isInMaintenance() {
        return maintenance;
    }

    /**
     * Leaving maintenance does not touch the health state: a server configured
     * {@code disabled} also starts down, as in HAProxy, so whoever enables it sets
     * its health too (HAProxy marks a server without checks up when it leaves
     * maintenance).
     */
    public void setMaintenance(boolean maintenance) {
        this.maintenance = maintenance;
    }

    /** The current weight, 0 to 256, possibly changed at run time. */
    public int weight() {
        return weight;
    }

    /**
     * Changes the weight at run time. roundrobin and leastconn use it from the next
     * pick; static-rr and source keep the startup weight, except that 0 drains the
     * server under every algorithm (HAProxy's static algorithms accept only 0% and
     * 100% at run time).
     */
    public void setWeight(int weight) {
        if (weight < 0 || weight > Server.MAX_WEIGHT) {
            throw new IllegalArgumentException("weight of server '" + name() + "' must be between 0 and "
                    + Server.MAX_WEIGHT + ", not " + weight);
        }
        this.weight = weight;
    }

    /** Connections currently established or being established. */
    public int currentConnections() {
        return connections.get();
    }

    /** The maximum number of concurrent connections, 0 for no limit. */
    public int maxconn() {
        return config.maxconn();
    }

    /**
     * Whether a server holding {@code connectionCount} connections may take one more: below
     * its maxconn, which a slow start ramps from 1 as HAProxy's dynamic maxconn does.
     */
    boolean hasFreeSlot(int connectionCount, long now) {
        int max = maxconn();
        return max == 0 || connectionCount < ramped(max, 1, now);
    }

    /**
     * The run-time weight times {@code scale}, ramped during a slow start: rising in
     * proportion to the time since the server came up, at least 1.
     */
    int rampedWeight(int scale, long now) {
        return ramped(weight * scale, 1, now);
    }

    private int ramped(int value, int floor, long now) {
        long end = rampEnd;
        if (now >= end) {
            return value;
        }
        long start = rampStart;
        long elapsed = Math.max(0, now - start);
        return (int) Math.max(floor, value * elapsed / (end - start));
    }

    /** Called by a pick or a queue's hand-over, under the balancer's lock. */
    void takeSlot() {
        connections.incrementAndGet();
    }

    void releaseSlot() {
        int count;
        do {
            count = connections.get();
            if (count == 0) {
                // A second release of the same slot would hide a leak elsewhere.
                throw new IllegalStateException("server '" + name() + "' has no connection slot to release");
            }
        } while (!connections.compareAndSet(count, count - 1));
    }

    @Override
    public String toString() {
        return name();
    }
}
