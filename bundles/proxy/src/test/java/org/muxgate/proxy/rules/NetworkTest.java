package org.muxgate.proxy.rules;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.Test;

/** Networks contain addresses by prefix, IPv4 and IPv6 kept apart. */
public class NetworkTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    public void ipv4Prefixes() throws Exception {
        Network ten = new Network(ip("10.1.2.3"), 8);
        assertTrue(ten.contains(ip("10.0.0.0")));
        assertTrue(ten.contains(ip("10.255.255.255")));
        assertFalse(ten.contains(ip("11.0.0.0")));
        assertFalse(ten.contains(ip("9.255.255.255")));
        Network host = new Network(ip("192.168.1.10"), 32);
        assertTrue(host.contains(ip("192.168.1.10")));
        assertFalse(host.contains(ip("192.168.1.11")));
        Network odd = new Network(ip("172.16.0.0"), 12);
        assertTrue(odd.contains(ip("172.31.255.255")));
        assertFalse(odd.contains(ip("172.32.0.0")));
        // The sign bit of the int address must not matter.
        Network high = new Network(ip("200.0.0.0"), 1);
        assertTrue(high.contains(ip("128.0.0.1")));
        assertFalse(high.contains(ip("127.0.0.1")));
        Network all = new Network(ip("0.0.0.0"), 0);
        assertTrue(all.contains(ip("255.1.2.3")));
        assertFalse(all.contains(ip("::1")));
    }

    @Test
    public void ipv6Prefixes() throws Exception {
        Network doc = new Network(ip("2001:db8::"), 32);
        assertTrue(doc.contains(ip("2001:db8::1")));
        assertTrue(doc.contains(ip("2001:db8:ffff:ffff::")));
        assertFalse(doc.contains(ip("2001:db9::1")));
        assertFalse(doc.contains(ip("32.1.13.184")));
        Network odd = new Network(ip("fe80::"), 10);
        assertTrue(odd.contains(ip("febf::1")));
        assertFalse(odd.contains(ip("fec0::1")));
        Network loopback = new Network(ip("::1"), 128);
        assertTrue(loopback.contains(ip("::1")));
        assertFalse(loopback.contains(ip("::2")));
        assertFalse(loopback.contains(ip("127.0.0.1")));
    }

    @Test
    public void badPrefixIsRefused() throws Exception {
        InetAddress ipv4 = ip("10.0.0.0");
        assertThrows(IllegalArgumentException.class, () -> new Network(ipv4, 33));
        assertThrows(IllegalArgumentException.class, () -> new Network(ipv4, -1));
        assertEquals(128, new Network(ip("::"), 128).prefix());
    }

    @Test
    public void equalityAndText() throws Exception {
        assertEquals(new Network(ip("10.0.0.0"), 8), new Network(ip("10.0.0.0"), 8));
        assertNotEquals(new Network(ip("10.0.0.0"), 8), new Network(ip("10.0.0.0"), 9));
        assertEquals("10.0.0.0/8", new Network(ip("10.0.0.0"), 8).toString());
    }
}
