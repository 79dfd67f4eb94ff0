package org.muxgate.proxy.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import org.muxgate.proxy.rules.Network;

/**
 * Parses {@code ADDRESS:PORT} as HAProxy's {@code str2sa_range()} does for IPv4
 * and IPv6: the port follows the last colon, so {@code :::8080} is the IPv6
 * wildcard and {@code ::1:8080} is {@code ::1}; an IPv6 address may also be
 * bracketed ({@code [::1]:8080}). An empty host or {@code *} is the IPv4
 * wildcard, {@code ::} the IPv6 one. A host name is resolved now, as HAProxy
 * resolves at startup, so that {@code -c} reports names that do not resolve.
 * <p>
 * Not supported yet, and reported as such: port ranges ({@code 80-90}), port
 * offsets ({@code +1}), UNIX sockets and family prefixes ({@code unix@},
 * {@code ipv4@}, {@code fd@}...).
 */
final class AddressParser {

    /** Resolves host names; tests replace DNS with a table. */
    @FunctionalInterface
    interface HostResolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    private static final InetAddress IPV4_ANY = literal(new byte[4]);

    private final HostResolver resolver;

    AddressParser(HostResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * @param text     {@code HOST:PORT}
     * @param wildcard whether the host may be a wildcard (to listen on), or must
     *                 designate one machine (to connect to)
     */
    InetSocketAddress parse(String text, boolean wildcard) throws ConfigArgException {
        if (text.startsWith("/") || text.contains("@")) {
            throw new ConfigArgException("unsupported address '" + text + "' (only IPv4 and IPv6 are supported yet)");
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0 || colon < text.lastIndexOf(']')) {
            throw new ConfigArgException("missing port in '" + text + "'");
        }
        int port = port(text.substring(colon + 1), text);
        InetAddress address = host(text.substring(0, colon), text);
        if (!wildcard && address.isAnyLocalAddress()) {
            throw new ConfigArgException("a wildcard address cannot be connected to ('" + text + "')");
        }
        return new InetSocketAddress(address, port);
    }

    /**
     * A network as ACLs and {@code option forwardfor except} write it: an IPv4 or
     * IPv6 address, with an optional {@code /PREFIX} (the whole address without).
     * Host names and dotted masks ({@code /255.0.0.0}) are not supported.
     */
    static Network network(String text) throws ConfigArgException {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = ipv4(host);
        if (address == null && isIpv6Literal(host) && host.indexOf('%') < 0) {
            address = ipv6(host, text);
        }
        if (address == null) {
            throw new ConfigArgException("invalid network '" + text
                    + "' (expected an IPv4 or IPv6 address with an optional /PREFIX)");
        }
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Values.integer(text.substring(slash + 1), "prefix length", 0, bits);
            } catch (ConfigArgException e) {
                throw new ConfigArgException("invalid prefix length in network '" + text + "' (expected 0 to " + bits + ")");
            }
        }
        return new Network(address, prefix);
    }

    private static int port(String port, String text) throws ConfigArgException {
        if (port.isEmpty()) {
            throw new ConfigArgException("missing port in '" + text + "'");
        }
        if (port.startsWith("+") || port.startsWith("-")) {
            throw new ConfigArgException("port offsets are not supported ('" + text + "')");
        }
        if (port.contains("-")) {
            throw new ConfigArgException("port ranges are not supported ('" + text + "')");
        }
        return Values.integer(port, "port", 1, 65535);
    }

    private InetAddress host(String host, String text) throws ConfigArgException {
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        String bare = bracketed ? host.substring(1, host.length() - 1) : host;
        if (isIpv6Literal(bare)) {
            return ipv6(bare, text);
        }
        if (!bracketed) {
            if (host.isEmpty() || host.equals("*")) {
                return IPV4_ANY;
            }
            InetAddress ipv4 = ipv4(host);
            if (ipv4 != null) {
                return ipv4;
            }
            if (isHostName(host)) {
                try {
                    return resolver.resolve(host);
                } catch (UnknownHostException e) {
                    throw new ConfigArgException("cannot resolve '" + host + "' in '" + text + "'");
                }
            }
        }
        throw new ConfigArgException("invalid address '" + host + "' in '" + text + "'");
    }

    /** Dotted-quad IPv4 as inet_pton() accepts it: four decimal bytes, no leading zeros. */
    private static InetAddress ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(part) > 255) {
                return null;
            }
            bytes[i] = (byte) Integer.parseInt(part);
        }
        return literal(bytes);
    }

    /**
     * Hex digits, dots and at least one colon, then an optional zone: text that
     * {@link InetAddress#getByName} parses as a literal, never asking DNS.
     */
    private static boolean isIpv6Literal(String host) {
        int zone = host.indexOf('%');
        String address = zone < 0 ? host : host.substring(0, zone);
        return address.contains(":")
                && address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    }

    private static InetAddress ipv6(String host, String text) throws ConfigArgException {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigArgException("invalid IPv6 address '" + host + "' in '" + text + "'");
        }
    }

    /**
     * Letters, digits, hyphens, underscores and dots, and not only digits and dots
     * (that would be a malformed IPv4 address, not a name to look up).
     */
    private static boolean isHostName(String host) {
        return !host.isEmpty()
                && host.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.'))
                && !host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static InetAddress literal(byte[] ipv4) {
        try {
            return InetAddress.getByAddress(ipv4);
        } catch (UnknownHostException impossible) {
            throw new IllegalArgumentException("an IPv4 address has 4 bytes, not " + ipv4.length, impossible);
        }
    }
}
