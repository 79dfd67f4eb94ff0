package org.muxgate.proxy.config;

/** A backend's load-balancing algorithm, HAProxy's {@code balance} keyword. */
public enum BalanceAlgorithm {
    /** Each server in turn, weighted, adjusted on the fly (HAProxy's default). */
    ROUNDROBIN("roundrobin"),
    /** Each server in turn, weighted, weights fixed at startup. */
    STATIC_RR("static-rr"),
    /** The server with the fewest connections. */
    LEASTCONN("leastconn"),
    /** The first server with a free connection slot, by declaration order. */
    FIRST("first"),
    /** A hash of the client's source address. */
    SOURCE("source");

    private final String token;

    BalanceAlgorithm(String token) {
        this.token = token;
    }

    /** The word used in the configuration file. */
    public String token() {
        return token;
    }
}
