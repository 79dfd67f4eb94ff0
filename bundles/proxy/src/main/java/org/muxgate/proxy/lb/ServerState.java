package org.muxgate.proxy.lb;

import java.net.InetSocketAddress;
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
 * <p>The connection count is atomic. Only {@link LoadBalancer#pick} increments it,
 * under its balancer's lock, after checking the free slot: two picks therefore
 * cannot both take a server's last slot. {@link LoadBalancer#release} decrements it
 * from any thread without the lock, since freeing a slot never breaks a limit.
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

    /** The health state; set by the server's health check, on its thread, which counts the falls. */
    public void setUp(boolean up) {
        if (this.up && !up) {
            downTransitions++;
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

    public boolean hasFreeSlot() {
        return hasFreeSlot(currentConnections());
    }

    /** Whether a server holding {@code connectionCount} connections may take one more. */
    boolean hasFreeSlot(int connectionCount) {
        int max = maxconn();
        return max == 0 || connectionCount < max;
    }

    /** Called by a pick, under its balancer's lock. */
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
