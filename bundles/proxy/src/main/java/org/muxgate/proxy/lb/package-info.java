/**
 * Load balancing: choosing a backend's server for each new connection, as HAProxy's
 * {@code balance} algorithms do. Plain Java, private to the bundle.
 *
 * <h2>Model</h2>
 * {@link org.muxgate.proxy.lb.ServerState} is a server's run-time state (health,
 * maintenance, weight, connection count), shared by every worker thread.
 * {@link org.muxgate.proxy.lb.LoadBalancer#create} builds a backend's balancer for its
 * algorithm; worker threads call {@code pick} for each connection attempt and
 * {@code release} when the connection ends or the attempt fails.
 *
 * <h2>Structure</h2>
 * A pick takes the backend's lock, then:
 * <ol>
 * <li>{@code Candidates} applies the rules common to every algorithm to a snapshot of
 *     the servers: active servers unless none is usable, then backups; servers with a
 *     free slot and nobody queued for them first; the server to avoid last among
 *     those. Slow starts ramp weights and maxconn here.</li>
 * <li>A {@code Strategy} chooses among the eligible servers:
 *     {@code SmoothWeightedRoundRobin} (roundrobin with run-time weights, static-rr
 *     with startup weights), {@code LeastConnections} (leastconn),
 *     {@code FirstAvailable} (first, and the backups without {@code option
 *     allbackups}), {@code WeightedRandom} (random), {@code MapBasedHash} or
 *     {@code ConsistentHash} (source, uri, hdr, by {@code hash-type}).</li>
 * <li>The chosen server's connection count is incremented, still under the lock; or,
 *     when it is full, the request's {@link org.muxgate.proxy.lb.Waiter} joins the
 *     backend's queue (or the hashed server's own), and a release hands the freed slot
 *     to the oldest request it may serve.</li>
 * </ol>
 * Each pick is a few passes over the server array, with no allocation: the snapshot
 * arrays and the strategies' counters are allocated with the balancer. HAProxy keeps
 * ebtrees updated on every state change to pick in O(log n); rebuilding nothing and
 * scanning the servers instead keeps state changes lock-free and costs little for
 * backends of tens of servers.
 *
 * <h2>Differences from HAProxy 2.6</h2>
 * <ul>
 * <li>Backups: without {@code option allbackups}, the first usable backup, but a full
 *     or avoided first backup gives way to the next one that can take the
 *     connection; any backup takes from the backend's queue. As in HAProxy, backups
 *     are not used to avoid the only usable active server.</li>
 * <li>Hashing: the hashed server, when avoided or at its {@code maxqueue}, gives way to
 *     the next one (declaration order, or round the ring) instead of HAProxy's 503;
 *     IPv6 source addresses are folded by {@code Inet6Address.hashCode()}; the
 *     map-based table is laid out by blocks; the consistent ring keeps its startup
 *     weights (a run-time weight of 0 still drains a server). Hash functions: sdbm
 *     and djb2.</li>
 * <li>roundrobin: nginx's smooth weighted round robin instead of HAProxy's fwrr
 *     trees; the same shares and smoothness, not always the same order.</li>
 * <li>leastconn: loads compared exactly instead of in scaled integers; ties go to the
 *     server picked least recently.</li>
 * <li>random: weighted draws over the eligible servers instead of random points on
 *     the consistent ring; the same shares.</li>
 * </ul>
 */
package org.muxgate.proxy.lb;
