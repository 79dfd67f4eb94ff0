package org.muxgate.proxy.engine;

import static org.junit.Assert.assertEquals;

import java.net.InetAddress;
import java.nio.ByteBuffer;

import org.junit.Test;
import org.muxgate.api.http.AsciiSequence;
import org.muxgate.api.http.HttpMessage;
import org.muxgate.proxy.config.Balance;
import org.muxgate.proxy.config.BalanceAlgorithm;
import org.muxgate.proxy.config.HashFunction;
import org.muxgate.proxy.config.HashType;
import org.muxgate.proxy.lb.LoadBalancer;

/** What each algorithm hashes of a request: HAProxy's text for uri and hdr, the address for source. */
public class BalanceKeyTest {

    private static final HashFunction SDBM = HashFunction.SDBM;

    private static HttpMessage request(String target, String... headers) {
        HttpMessage message = new HttpMessage(101);
        message.attach(ByteBuffer.allocate(4096));
        message.addRequestLine(HttpMessage.HTTP_1_1, "GET", target);
        for (int i = 0; i < headers.length; i += 2) {
            message.addField(HttpMessage.HEADER, headers[i], headers[i + 1]);
        }
        message.addMarker(HttpMessage.END_OF_HEADERS);
        return message;
    }

    private static Balance uri(boolean whole, int length, int depth, boolean pathOnly) {
        return new Balance(BalanceAlgorithm.URI, null, whole, length, depth, pathOnly, Balance.DEFAULT_DRAWS,
                HashType.DEFAULT, false);
    }

    private static long key(Balance balance, HttpMessage request) {
        return BalanceKey.of(balance, request, InetAddress.getLoopbackAddress(), new AsciiSequence());
    }

    private static long sdbm(String text) {
        return SDBM.hash(text, 0, text.length());
    }

    @Test
    public void uriHashesTheTargetBeforeTheQueryUnlessWhole() {
        HttpMessage request = request("/img/a/b.png?size=2");
        assertEquals(sdbm("/img/a/b.png"), key(uri(false, 0, 0, false), request));
        assertEquals(sdbm("/img/a/b.png?size=2"), key(uri(true, 0, 0, false), request));
    }

    @Test
    public void uriLenAndDepthCutTheText() {
        HttpMessage request = request("/img/a/b.png?size=2");
        assertEquals(sdbm("/img"), key(uri(false, 4, 0, false), request));
        assertEquals(sdbm("/img/a"), key(uri(false, 0, 2, false), request));
        assertEquals(sdbm("/img/a/b.png"), key(uri(false, 0, 3, false), request));
        // Whichever limit comes first.
        assertEquals(sdbm("/im"), key(uri(false, 3, 2, false), request));
    }

    @Test
    public void pathOnlyLeavesOutTheSchemeAndAuthorityOfAnAbsoluteTarget() {
        HttpMessage absolute = request("http://example.com/img/a?x");
        assertEquals(sdbm("http://example.com/img/a"), key(uri(false, 0, 0, false), absolute));
        assertEquals(sdbm("/img/a"), key(uri(false, 0, 0, true), absolute));
        assertEquals(key(uri(false, 0, 0, true), request("/img/a?y")), key(uri(false, 0, 0, true), absolute));
    }

    @Test
    public void hdrHashesTheFirstValueOfTheHeaderTrimmed() {
        Balance host = new Balance(BalanceAlgorithm.HDR, "x-user", false, 0, 0, false, Balance.DEFAULT_DRAWS,
                new HashType(false, HashFunction.DJB2, false), false);
        assertEquals(HashFunction.DJB2.hash("alice", 0, 5), key(host, request("/", "X-User", "  alice , bob")));
        assertEquals(LoadBalancer.NO_KEY, key(host, request("/", "Other", "alice")));
        assertEquals(LoadBalancer.NO_KEY, key(host, request("/", "X-User", " ")));
    }

    @Test
    public void sourceHashesTheAddressAndTheOthersHaveNoKey() {
        HttpMessage request = request("/");
        assertEquals(0x7f000001L, key(Balance.of(BalanceAlgorithm.SOURCE), request));
        assertEquals(LoadBalancer.NO_KEY, BalanceKey.of(Balance.of(BalanceAlgorithm.SOURCE), null, null, null));
        assertEquals(LoadBalancer.NO_KEY, key(Balance.of(BalanceAlgorithm.ROUNDROBIN), request));
        // A TCP stream has no request: the layer-7 algorithms have no key there.
        assertEquals(LoadBalancer.NO_KEY, BalanceKey.of(uri(false, 0, 0, false), null,
                InetAddress.getLoopbackAddress(), null));
    }
}
