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
 *     free slot first; the server to avoid last among those.</li>
 * <li>A {@code Strategy} chooses among the eligible servers:
 *     {@code SmoothWeightedRoundRobin} (roundrobin with run-time weights, static-rr
 *     with startup weights), {@code LeastConnections} (leastconn),
 *     {@code FirstAvailable} (first, and the backups) or {@code SourceHash}
 *     (source).</li>
 * <li>The chosen server's connection count is incremented, still under the lock.</li>
 * </ol>
 * Each pick is a few passes over the server array, with no allocation: the snapshot
 * arrays and the strategies' counters are allocated with the balancer. HAProxy keeps
 * ebtrees updated on every state change to pick in O(log n); rebuilding nothing and
 * scanning the servers instead keeps state changes lock-free and costs little for
 * backends of tens of servers.
 *
 * <h2>Differences from HAProxy 2.6</h2>
 * <ul>
 * <li>No queues yet: when every usable server is at its maxconn, a full server is
 *     returned rather than queueing the connection.</li>
 * <li>Backups: the first usable backup, as without {@code option allbackups}, but a
 *     full or avoided first backup gives way to the next one that can take the
 *     connection. ({@code option allbackups} will be the backend's strategy applied
 *     to the backups instead of {@code FirstAvailable}.) As in HAProxy, backups are
 *     not used to avoid the only usable active server.</li>
 * <li>source: the hashed server, when full or avoided, gives way to the next one in
 *     declaration order instead of queueing; IPv6 addresses are folded by
 *     {@code Inet6Address.hashCode()}; the weighted table is laid out by blocks.</li>
 * <li>roundrobin: nginx's smooth weighted round robin instead of HAProxy's fwrr
 *     trees; the same shares and smoothness, not always the same order. No slow
 *     start.</li>
 * <li>leastconn: loads compared exactly instead of in scaled integers; ties go to the
 *     server picked least recently.</li>
 * </ul>
 */
package org.muxgate.proxy.lb;
