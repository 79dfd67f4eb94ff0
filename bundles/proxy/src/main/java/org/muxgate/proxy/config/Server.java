package org.muxgate.proxy.config;

import java.net.InetSocketAddress;

import org.muxgate.transport.tls.ClientTlsContext;

/**
 * A {@code server} line of a backend.
 *
 * @param name     unique within its backend
 * @param line     the line of the {@code server} keyword
 * @param address  resolved when the configuration was parsed, as HAProxy does at startup
 * @param weight   0 to 256, 1 by default; 0 takes no load-balanced traffic
 * @param maxconn  maximum concurrent connections to this server, 0 for no limit
 * @param disabled starts in maintenance ({@code disabled})
 * @param backup   used only when no active server is available ({@code backup})
 * @param proto    the mux forced by {@code proto}, or null to choose it from ALPN and the mode
 * @param pool     how its idle connections are kept for reuse ({@code pool-*})
 * @param check    its health checks ({@code check}, {@code inter}, {@code rise}...)
 * @param limits   its queue limit, slow start and session shutdowns
 * @param tls      the TLS of its traffic ({@code ssl}), or null for plain TCP
 * @param checkTls the TLS of its health checks, or null for plain TCP: {@code check-ssl},
 *                 or {@code ssl} without a check {@code port} or {@code addr}, as in HAProxy
 */
public record Server(String name, int line, InetSocketAddress address, int weight, int maxconn,
        boolean disabled, boolean backup, String proto, ServerPoolSettings pool, ServerCheck check,
        ServerLimits limits, ClientTlsContext tls, ClientTlsContext checkTls) {

    /** A plain TCP server. */
    public Server(String name, int line, InetSocketAddress address, int weight, int maxconn, boolean disabled,
            boolean backup, String proto, ServerPoolSettings pool, ServerCheck check, ServerLimits limits) {
        this(name, line, address, weight, maxconn, disabled, backup, proto, pool, check, limits, null, null);
    }

    /** A server with HAProxy's default limits. */
    public Server(String name, int line, InetSocketAddress address, int weight, int maxconn, boolean disabled,
            boolean backup, String proto, ServerPoolSettings pool, ServerCheck check) {
        this(name, line, address, weight, maxconn, disabled, backup, proto, pool, check, ServerLimits.NONE);
    }

    /** A server without health checks. */
    public Server(String name, int line, InetSocketAddress address, int weight, int maxconn, boolean disabled,
            boolean backup, String proto, ServerPoolSettings pool) {
        this(name, line, address, weight, maxconn, disabled, backup, proto, pool, ServerCheck.NONE);
    }

    /** A server without health checks, whose idle connections are kept as HAProxy does by default. */
    public Server(String name, int line, InetSocketAddress address, int weight, int maxconn, boolean disabled,
            boolean backup, String proto) {
        this(name, line, address, weight, maxconn, disabled, backup, proto, ServerPoolSettings.DEFAULT);
    }

    /** HAProxy's default server weight. */
    public static final int DEFAULT_WEIGHT = 1;

    /** HAProxy's largest server weight. */
    public static final int MAX_WEIGHT = 256;
}
