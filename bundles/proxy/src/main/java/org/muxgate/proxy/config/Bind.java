package org.muxgate.proxy.config;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A {@code bind} line: the addresses a frontend listens on, with their options.
 *
 * @param line      the line of the {@code bind} keyword
 * @param addresses one per comma-separated address; {@code *} or an empty host is
 *                  the IPv4 wildcard address, {@code ::} the IPv6 one
 * @param proto     the mux forced by {@code proto}, or null to choose it from ALPN and the mode
 */
public record Bind(int line, List<InetSocketAddress> addresses, String proto) {

    public Bind {
        addresses = List.copyOf(addresses);
    }
}
