package org.muxgate.api.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/** The block layout of the internal message, on heap and direct buffers (overlapping moves differ). */
@RunWith(Parameterized.class)
public class HttpMessageTest {

    @Parameters(name = "direct={0}")
    public static Collection<Object[]> kinds() {
        return Arrays.asList(new Object[][] {{false}, {true}});
    }

    private final boolean direct;
    private final AsciiSequence view = new AsciiSequence();

    public HttpMessageTest(boolean direct) {
        this.direct = direct;
    }

    private HttpMessage message(int size) {
        HttpMessage message = new HttpMessage(101);
        message.attach(direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size));
        return message;
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Every block in use, as "TYPE:payload" strings. */
    private List<String> blocks(HttpMessage message) {
        List<String> out = new ArrayList<>();
        for (int p = message.first(); p >= 0; p = message.next(p)) {
            switch (message.type(p)) {
                case HttpMessage.REQUEST_LINE -> out.add("REQ:" + message.method(p, view) + " "
                        + message.target(p, view).toString() + " " + message.lineVersion(p));
                case HttpMessage.STATUS_LINE -> out.add("RES:" + message.status(p) + " " + message.reason(p, view));
                case HttpMessage.HEADER -> out.add("HDR:" + message.name(p, view) + "=" + message.value(p, view));
                case HttpMessage.TRAILER -> out.add("TLR:" + message.name(p, view) + "=" + message.value(p, view));
                case HttpMessage.DATA -> out.add("DATA:" + message.data(p, view));
                case HttpMessage.END_OF_HEADERS -> out.add("EOH");
                case HttpMessage.END_OF_TRAILERS -> out.add("EOT");
                default -> out.add("?" + message.type(p));
            }
        }
        return out;
    }

    @Test
    public void requestFromWireBytesWithLowerCasedNames() {
        HttpMessage message = message(256);
        ByteBuffer wire = ascii("GET /a?b HTTP/1.1\r\nHost: x\r\n");
        assertTrue(message.addRequestLine(HttpMessage.HTTP_1_1, wire, 0, 3, 4, 4));
        assertTrue(message.addField(HttpMessage.HEADER, wire, 19, 4, 25, 1));
        assertTrue(message.addMarker(HttpMessage.END_OF_HEADERS));
        assertEquals(List.of("REQ:GET /a?b 11", "HDR:host=x", "EOH"), blocks(message));
        assertEquals(HttpMessage.HTTP_1_1, message.version());
        assertEquals(1, message.headerCount());
    }

    @Test
    public void pathAndAuthorityOfEachTargetForm() {
        HttpMessage message = message(256);
        String[][] cases = {
            {"/a/b?c", "/a/b", "/a/b?c", ""},
            {"http://h:8/a?q", "/a", "/a?q", "h:8"},
            {"https://h", "", "", "h"},
            {"*", "", "", ""},
            {"h:443", "", "", ""},
        };
        for (String[] c : cases) {
            message.reset();
            message.addRequestLine(HttpMessage.HTTP_1_1, "GET", c[0]);
            int line = message.startLine();
            assertEquals(c[0], c[1], message.path(line, view, false).toString());
            assertEquals(c[0], c[2], message.path(line, view, true).toString());
            assertEquals(c[0], c[3], message.authority(line, view).toString());
        }
    }

    @Test
    public void dataMergesIntoTheLastBlockAndIsConsumedInParts() {
        HttpMessage message = message(64);
        ByteBuffer body = ascii("0123456789");
        assertEquals(4, message.addData(body, 0, 4));
        assertEquals(6, message.addData(body, 4, 6));
        assertEquals(List.of("DATA:0123456789"), blocks(message));
        message.consumeData(3);
        assertEquals(List.of("DATA:3456789"), blocks(message));
        assertEquals(3, message.addData(body, 0, 3));
        assertEquals(List.of("DATA:3456789012"), blocks(message));
        message.consumeData(10);
        assertTrue(message.isEmpty());
        assertEquals(0, message.used());
    }

    @Test
    public void aFullBufferTakesWhatFitsAndCompactsAfterConsumption() {
        HttpMessage message = message(32);
        ByteBuffer body = ascii("abcdefghijklmnopqrstuvwxyz0123456789");
        int first = message.addData(body, 0, 36);
        assertEquals(32 - 5, first);
        assertEquals(0, message.addData(body, first, 36 - first));
        message.consumeData(20);
        int second = message.addData(body, first, 36 - first);
        assertEquals(36 - first, second);
        assertEquals(List.of("DATA:uvwxyz0123456789"), blocks(message));
    }

    @Test
    public void removedHeadersAreSkippedAndInsertedOnesGoBeforeTheEnd() {
        HttpMessage message = message(256);
        message.addRequestLine(HttpMessage.HTTP_1_1, "POST", "/");
        message.addField(HttpMessage.HEADER, "Host", "x");
        message.addField(HttpMessage.HEADER, "X-A", "1");
        message.addField(HttpMessage.HEADER, "x-a", "2");
        message.addMarker(HttpMessage.END_OF_HEADERS);
        message.addData(ascii("body"), 0, 4);
        assertEquals(2, message.removeHeaders("x-a", view));
        assertTrue(message.insertHeader("X-Forwarded-For", "10.0.0.1"));
        // Data added after an insertion still merges with the moved last block.
        message.addData(ascii("!"), 0, 1);
        assertEquals(List.of("REQ:POST / 11", "HDR:host=x", "HDR:x-forwarded-for=10.0.0.1", "EOH", "DATA:body!"),
                blocks(message));
        assertEquals(-1, message.findHeader("x-a", -1, view));
        int host = message.findHeader("host", -1, view);
        assertEquals("x", message.value(host, view).toString());
    }

    @Test
    public void insertionCompactsWhenTheTailIsFull() {
        HttpMessage message = message(64);
        message.addRequestLine(HttpMessage.HTTP_1_1, "GET", "/");
        message.addMarker(HttpMessage.END_OF_HEADERS);
        message.addData(ascii("x".repeat(30)), 0, 30);
        message.removeFirst();
        // 10 + 5 + 35 = 50 bytes used from 14: the tail is at 50, the header needs 13.
        assertTrue(message.insertHeader("a", "123456"));
        assertEquals(List.of("HDR:a=123456", "EOH", "DATA:" + "x".repeat(30)), blocks(message));
        assertFalse(message.insertHeader("b", "x".repeat(20)));
    }

    @Test
    public void noRoomMeansNoBlock() {
        HttpMessage message = message(16);
        assertFalse(message.addField(HttpMessage.HEADER, "name", "a-value-too-long"));
        assertTrue(message.isEmpty());
        assertTrue(message.addField(HttpMessage.HEADER, "n", "v"));
    }

    @Test
    public void moveFromCarriesBlocksFlagsAndTheEndWithTheLastBlock() {
        HttpMessage from = message(256);
        from.addStatusLine(HttpMessage.HTTP_1_1, 200, "OK");
        from.addField(HttpMessage.HEADER, "a", "b");
        from.addMarker(HttpMessage.END_OF_HEADERS);
        from.addData(ascii("x".repeat(40)), 0, 40);
        from.setContentLength(40);
        from.end();
        HttpMessage to = message(48);
        to.moveFrom(from);
        assertFalse("the data did not all fit", to.isEnded());
        assertEquals(40, to.contentLength());
        List<String> got = blocks(to);
        assertEquals("RES:200 OK", got.get(0));
        while (!to.isEmpty()) {
            to.removeFirst();
        }
        to.moveFrom(from);
        assertTrue(from.isEmpty());
        assertTrue(to.isEnded());
        assertEquals(1, to.headerCount());
    }

    @Test
    public void detachNeedsAnEmptyMessageAndKeepsTheFlags() {
        HttpMessage message = message(64);
        message.addMarker(HttpMessage.END_OF_HEADERS);
        message.end();
        try {
            message.detach();
            throw new AssertionError("detached a message holding blocks");
        } catch (IllegalStateException expected) {
            // as documented
        }
        message.removeFirst();
        assertTrue(message.detach() != null);
        assertFalse(message.hasBuffer());
        assertTrue(message.isEnded());
        assertEquals(0, message.room());
    }
}
