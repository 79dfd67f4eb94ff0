package org.muxgate.proxy.config;

import java.time.Duration;

/**
 * How many idle connections to a server are kept for reuse, HAProxy's server
 * keywords of the same names.
 *
 * @param maxConn    {@code pool-max-conn}: the most idle connections, -1 for no limit, 0 keeps none
 * @param purgeDelay {@code pool-purge-delay}: every such period, half of the idle
 *                   connections beyond the need are closed; zero keeps none
 * @param lowConn    {@code pool-low-conn}: below this many idle connections, a
 *                   thread does not take one from another thread
 */
public record ServerPoolSettings(int maxConn, Duration purgeDelay, int lowConn) {

    /** HAProxy's defaults: no limit, purged every 5 seconds, no low mark. */
    public static final ServerPoolSettings DEFAULT = new ServerPoolSettings(-1, Duration.ofSeconds(5), 0);
}
