package org.muxgate.proxy.config;

import java.net.InetSocketAddress;
import java.util.List;

import org.muxgate.transport.tls.ServerTlsContext;

/**
 * A {@code bind} line: the addresses a frontend listens on, with their options.
 *
 * @param line        the line of the {@code bind} keyword
 * @param addresses   one per comma-separated address; {@code *} or an empty host is
 *                    the IPv4 wildcard address, {@code ::} the IPv6 one
 * @param proto       the mux forced by {@code proto}, or null to choose it from ALPN and the mode
 * @param tls         the TLS of {@code ssl crt FILE...}, or null for plain TCP
 * @param defaultAlpn whether {@code tls} offers HTTP's default ALPN ({@code h2,http/1.1})
 *                    because the line names no {@code alpn}: a tcp frontend offers none then
 */
public record Bind(int line, List<InetSocketAddress> addresses, String proto, ServerTlsContext tls,
        boolean defaultAlpn) {

    public Bind {
        addresses = List.copyOf(addresses);
    }

    /** A plain TCP bind line. */
    public Bind(int line, List<InetSocketAddress> addresses, String proto) {
        this(line, addresses, proto, null, false);
    }

    /** The line as a frontend in {@code mode} uses it. */
    Bind forMode(Mode mode) {
        return tls != null && defaultAlpn && mode == Mode.TCP
                ? new Bind(line, addresses, proto, tls.withAlpn(List.of()), false)
                : this;
    }
}
