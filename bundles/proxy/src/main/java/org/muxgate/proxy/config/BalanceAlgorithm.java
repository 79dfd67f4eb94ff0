package org.muxgate.proxy.config;

/** A backend's load-balancing algorithm, HAProxy's {@code balance} keyword. */
public enum BalanceAlgorithm {
    /** Each server in turn, weighted, adjusted on the fly (HAProxy's default). */
    ROUNDROBIN("roundrobin", false),
    /** Each server in turn, weighted, weights fixed at startup. */
    STATIC_RR("static-rr", false),
    /** The server with the fewest connections. */
    LEASTCONN("leastconn", false),
    /** The first server with a free connection slot, by declaration order. */
    FIRST("first", false),
    /** A hash of the client's source address. */
    SOURCE("source", true),
    /** A hash of the request's URI, or of its part before the query. */
    URI("uri", true),
    /** A hash of a request header's value: {@code hdr(NAME)}. */
    HDR("hdr", true),
    /** A weighted random server, the least loaded of {@code random(DRAWS)} draws. */
    RANDOM("random", false);

    private final String token;
    private final boolean hashed;

    BalanceAlgorithm(String token, boolean hashed) {
        this.token = token;
        this.hashed = hashed;
    }

    /** The word used in the configuration file. */
    public String token() {
        return token;
    }

    /** Whether the server is chosen by hashing a key, which {@code hash-type} configures. */
    public boolean hashed() {
        return hashed;
    }

    /** Whether the key comes from the HTTP request: HAProxy falls back to round robin in mode tcp. */
    public boolean needsHttp() {
        return this == URI || this == HDR;
    }
}
