package org.muxgate.proxy.lb;

import java.net.InetAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A {@link LoadBalancer}: the rules shared by all algorithms ({@link Candidates})
 * followed by one algorithm's choice ({@link Strategy}).
 *
 * <p>Locking: like HAProxy's {@code lbprm.lock}, one lock per backend protects the
 * balancing state (the snapshot, the strategy's counters) and is held for the pick's
 * bookkeeping only, a few passes over the server array, with no I/O and no
 * allocation. A plain monitor is used rather than a {@code ReentrantLock} because a
 * contended monitor allocates nothing on the Java heap while the latter allocates a
 * queue node per waiting thread. Taking the slot inside the lock is what keeps two
 * concurrent picks from both taking a server's last slot. Releases and server state
 * changes do not take the lock (see {@link ServerState}).
 */
final class Balancer implements LoadBalancer {

    /**
     * Without {@code option allbackups}, HAProxy sends everything to the first usable
     * backup; declaration order with the shared maxconn and avoid rules does that.
     */
    private static final Strategy BACKUPS = new FirstAvailable();

    private final List<ServerState> servers;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final Candidates candidates;
    /** Guarded by {@link #lock}. */
    private final Strategy strategy;

    Balancer(List<ServerState> servers, boolean startupWeights, Strategy strategy) {
        this.servers = List.copyOf(servers);
        Set<ServerState> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ServerState server : this.servers) {
            if (!seen.add(server)) {
                throw new IllegalArgumentException("server '" + server.name() + "' is listed twice");
            }
        }
        this.candidates = new Candidates(this.servers, startupWeights);
        this.strategy = strategy;
    }

    @Override
    public ServerState pick(InetAddress client, ServerState avoid) {
        synchronized (lock) {
            if (!candidates.select(avoid)) {
                return null;
            }
            Strategy choice = candidates.onBackups() ? BACKUPS : strategy;
            ServerState server = candidates.server(choice.choose(candidates, client));
            server.takeSlot();
            return server;
        }
    }

    @Override
    public void release(ServerState server) {
        server.releaseSlot();
    }

    @Override
    public List<ServerState> servers() {
        return servers;
    }
}
