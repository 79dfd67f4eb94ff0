package org.muxgate.proxy.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import org.junit.Test;

public class AddressParserTest {

    /** No DNS in tests: one known name, the others fail as unknown names do. */
    private final AddressParser parser = new AddressParser(host -> {
        if (host.equals("app.internal")) {
            return InetAddress.getByAddress(host, new byte[] {10, 1, 2, 3});
        }
        throw new UnknownHostException(host);
    });

    private InetSocketAddress bind(String text) throws ConfigArgException {
        return parser.parse(text, true);
    }

    private String bindError(String text) {
        return assertThrows(ConfigArgException.class, () -> bind(text)).getMessage();
    }

    private String serverError(String text) {
        return assertThrows(ConfigArgException.class, () -> parser.parse(text, false)).getMessage();
    }

    private static InetSocketAddress address(String literal, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(literal), port);
    }

    @Test
    public void ipv4() throws Exception {
        assertEquals(address("127.0.0.1", 8080), bind("127.0.0.1:8080"));
        assertEquals(address("10.255.0.1", 1), bind("10.255.0.1:1"));
        assertEquals(address("10.0.0.1", 65535), bind("10.0.0.1:65535"));
    }

    @Test
    public void emptyHostAndStarAreTheIpv4Wildcard() throws Exception {
        for (String text : new String[] {"*:8080", ":8080", "0.0.0.0:8080"}) {
            InetSocketAddress address = bind(text);
            assertTrue(text, address.getAddress() instanceof Inet4Address);
            assertTrue(text, address.getAddress().isAnyLocalAddress());
            assertEquals(text, 8080, address.getPort());
        }
    }

    @Test
    public void ipv6PortFollowsTheLastColon() throws Exception {
        InetSocketAddress any = bind(":::8080");
        assertTrue(any.getAddress() instanceof Inet6Address);
        assertTrue(any.getAddress().isAnyLocalAddress());
        assertEquals(8080, any.getPort());
        assertEquals(address("::1", 8080), bind("::1:8080"));
        assertEquals(address("2001:db8::1", 443), bind("2001:db8::1:443"));
    }

    @Test
    public void ipv6MayBeBracketed() throws Exception {
        assertEquals(address("::1", 8080), bind("[::1]:8080"));
        assertEquals(address("2001:db8::1", 443), bind("[2001:db8::1]:443"));
        assertTrue(bind("[::]:80").getAddress().isAnyLocalAddress());
    }

    @Test
    public void hostNamesAreResolved() throws Exception {
        InetSocketAddress address = parser.parse("app.internal:9000", false);
        assertEquals("10.1.2.3", address.getAddress().getHostAddress());
        assertEquals("app.internal", address.getHostString());
        assertEquals(9000, address.getPort());
        assertEquals("cannot resolve 'nowhere.internal' in 'nowhere.internal:80'", serverError("nowhere.internal:80"));
    }

    @Test
    public void portIsMandatoryAndInRange() {
        String range = " (expected an integer between 1 and 65535)";
        assertEquals("missing port in '127.0.0.1'", bindError("127.0.0.1"));
        assertEquals("missing port in '127.0.0.1:'", bindError("127.0.0.1:"));
        assertEquals("missing port in '[::1]'", bindError("[::1]"));
        assertEquals("invalid port '0'" + range, bindError("127.0.0.1:0"));
        assertEquals("invalid port '65536'" + range, bindError("127.0.0.1:65536"));
        assertEquals("invalid port 'http'" + range, bindError("127.0.0.1:http"));
        assertEquals("invalid port '80x'" + range, bindError("127.0.0.1:80x"));
    }

    @Test
    public void rangesAndOffsetsAreNotSupportedYet() {
        assertEquals("port ranges are not supported (':8000-8010')", bindError(":8000-8010"));
        assertEquals("port offsets are not supported ('10.0.0.1:+1')", serverError("10.0.0.1:+1"));
        assertEquals("port offsets are not supported ('10.0.0.1:-1')", serverError("10.0.0.1:-1"));
    }

    @Test
    public void malformedAddressesAreNotLookedUp() {
        assertEquals("invalid address '300.1.1.1' in '300.1.1.1:80'", bindError("300.1.1.1:80"));
        assertEquals("invalid address '10.0.0' in '10.0.0:80'", bindError("10.0.0:80"));
        assertEquals("invalid address '010.0.0.1' in '010.0.0.1:80'", bindError("010.0.0.1:80"));
        assertEquals("invalid address 'bad_host!' in 'bad_host!:80'", bindError("bad_host!:80"));
        assertEquals("invalid address '[10.0.0.1]' in '[10.0.0.1]:80'", bindError("[10.0.0.1]:80"));
        assertEquals("invalid IPv6 address '1:2:3' in '1:2:3:80'", bindError("1:2:3:80"));
    }

    @Test
    public void otherFamiliesAreNotSupportedYet() {
        assertEquals("unsupported address '/run/muxgate.sock' (only IPv4 and IPv6 are supported yet)",
                bindError("/run/muxgate.sock"));
        assertEquals("unsupported address 'ipv4@:80' (only IPv4 and IPv6 are supported yet)", bindError("ipv4@:80"));
    }

    @Test
    public void serversNeedAnAddressToConnectTo() {
        assertEquals("a wildcard address cannot be connected to ('*:80')", serverError("*:80"));
        assertEquals("a wildcard address cannot be connected to (':80')", serverError(":80"));
        assertEquals("a wildcard address cannot be connected to (':::80')", serverError(":::80"));
    }
}
