package org.muxgate.proxy.rules;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network, {@code ADDRESS/PREFIX}; a single address is a network
 * of 32 or 128 bits. An IPv4 network never contains an IPv6 address and the
 * other way round: IPv4-mapped IPv6 addresses are not unmapped, since the JVM
 * already gives the clients of a dual-stack socket as {@link Inet4Address}.
 */
public final class Network {

    private final InetAddress address;
    private final int prefix;
    /** For IPv4: the address and the mask as ints, compared without allocating. */
    private final int ipv4;
    private final int ipv4Mask;
    /** For IPv6, with the bits after the prefix cleared. */
    private final byte[] ipv6;

    /**
     * @param prefix 0 to 32 for IPv4, 0 to 128 for IPv6; the address's bits after
     *               it are ignored, as HAProxy does with {@code 10.1.2.3/8}
     */
    public Network(InetAddress address, int prefix) {
        int bits = address instanceof Inet4Address ? 32 : 128;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix " + prefix + " out of 0.." + bits);
        }
        this.address = address;
        this.prefix = prefix;
        if (bits == 32) {
            ipv4Mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            // Inet4Address.hashCode() is its address as an int, and does not allocate.
            ipv4 = address.hashCode() & ipv4Mask;
            ipv6 = null;
        } else {
            ipv4Mask = 0;
            ipv4 = 0;
            ipv6 = address.getAddress();
            clearAfter(ipv6, prefix);
        }
    }

    public InetAddress address() {
        return address;
    }

    public int prefix() {
        return prefix;
    }

    /** Whether the address belongs to this network. */
    public boolean contains(InetAddress candidate) {
        if (candidate instanceof Inet4Address) {
            return ipv6 == null && (candidate.hashCode() & ipv4Mask) == ipv4;
        }
        if (ipv6 == null) {
            return false;
        }
        // Inet6Address gives its bytes only as a copy: one allocation per IPv6 test,
        // which escape analysis usually removes.
        byte[] bytes = candidate.getAddress();
        clearAfter(bytes, prefix);
        return Arrays.equals(bytes, ipv6);
    }

    private static void clearAfter(byte[] bytes, int prefix) {
        for (int i = 0; i < bytes.length; i++) {
            int kept = Math.max(0, Math.min(8, prefix - 8 * i));
            bytes[i] &= (byte) (0xff00 >> kept);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Network network && network.prefix == prefix && network.address.equals(address);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + prefix;
    }

    /** {@code 10.0.0.0/8}, {@code 2001:db8:0:0:0:0:0:0/32}. */
    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefix;
    }
}
