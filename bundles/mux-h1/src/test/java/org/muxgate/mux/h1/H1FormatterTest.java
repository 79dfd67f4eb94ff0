package org.muxgate.mux.h1;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;

import org.junit.Test;
import org.muxgate.api.http.HttpMessage;

/** The exact bytes the formatter writes for requests and responses. */
public class H1FormatterTest {

    private final H1Formatter responses = new H1Formatter(true);
    private final H1Formatter requests = new H1Formatter(false);

    private static HttpMessage response(int status, String reason, String... headers) {
        HttpMessage m = new HttpMessage(101);
        m.attach(ByteBuffer.allocate(4096));
        m.addStatusLine(HttpMessage.HTTP_1_1, status, reason);
        return headers(m, headers);
    }

    private static HttpMessage request(String method, String target, String... headers) {
        HttpMessage m = new HttpMessage(101);
        m.attach(ByteBuffer.allocate(4096));
        m.addRequestLine(HttpMessage.HTTP_1_1, method, target);
        return headers(m, headers);
    }

    private static HttpMessage headers(HttpMessage m, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            m.addField(HttpMessage.HEADER, headers[i], headers[i + 1]);
        }
        m.addMarker(HttpMessage.END_OF_HEADERS);
        return m;
    }

    private static void data(HttpMessage m, String text) {
        ByteBuffer b = Messages.bytes(text);
        m.addData(b, 0, b.remaining());
    }

    /** Formats all of {@code m} through an output buffer of {@code capacity} bytes, drained after each call. */
    private static String format(H1Formatter f, HttpMessage m, int capacity) {
        StringBuilder wire = new StringBuilder();
        ByteBuffer out = ByteBuffer.allocate(capacity);
        for (int i = 0; i < 10_000; i++) {
            int n = f.format(m, out);
            wire.append(Messages.text(out, 0, out.position()));
            out.clear();
            if (n == 0) {
                break;
            }
        }
        return wire.toString();
    }

    private static String format(H1Formatter f, HttpMessage m) {
        return format(f, m, 4096);
    }

    @Test
    public void contentLength() {
        HttpMessage m = response(200, "OK", "x-a", "b");
        m.setContentLength(5);
        data(m, "hello");
        m.end();
        assertEquals("HTTP/1.1 200 OK\r\nx-a: b\r\ncontent-length: 5\r\n\r\nhello", format(responses, m));
        assertTrue(responses.isDone());
        assertFalse(responses.closesConnection());
        assertTrue(m.isEmpty());
    }

    @Test
    public void chunkedWhenTheLengthIsUnknown() {
        HttpMessage m = response(200, "OK");
        data(m, "hello");
        assertEquals("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n", format(responses, m));
        assertFalse(responses.isDone());
        data(m, "0123456789abcdef!");
        m.end();
        assertEquals("11\r\n0123456789abcdef!\r\n0\r\n\r\n", format(responses, m));
        assertTrue(responses.isDone());
    }

    @Test
    public void chunksSplitToFitASmallBuffer() {
        HttpMessage m = response(200, "OK");
        data(m, "a".repeat(100));
        m.end();
        String wire = format(responses, m, 64);
        String head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
        assertTrue(wire, wire.startsWith(head));
        // Decode the chunks back.
        StringBuilder body = new StringBuilder();
        String rest = wire.substring(head.length());
        for (;;) {
            int crlf = rest.indexOf("\r\n");
            int size = Integer.parseInt(rest.substring(0, crlf), 16);
            if (size == 0) {
                assertEquals("\r\n", rest.substring(crlf + 2));
                break;
            }
            body.append(rest, crlf + 2, crlf + 2 + size);
            assertEquals("\r\n", rest.substring(crlf + 2 + size, crlf + 4 + size));
            rest = rest.substring(crlf + 4 + size);
        }
        assertEquals("a".repeat(100), body.toString());
        assertTrue(responses.isDone());
    }

    @Test
    public void anEmptyBodyEndingWithTheHeadersHasLengthZero() {
        HttpMessage m = response(200, "OK");
        m.end();
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", format(responses, m));
        assertTrue(responses.isDone());
    }

    @Test
    public void trailersFollowTheLastChunk() {
        HttpMessage m = response(200, "OK");
        data(m, "abc");
        m.addField(HttpMessage.TRAILER, "x-t", "1");
        m.addMarker(HttpMessage.END_OF_TRAILERS);
        m.end();
        assertEquals("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nx-t: 1\r\n\r\n",
                format(responses, m));
        assertTrue(responses.isDone());
    }

    @Test
    public void trailersAreDroppedWithALength() {
        HttpMessage m = response(200, "OK");
        m.setContentLength(3);
        data(m, "abc");
        m.addField(HttpMessage.TRAILER, "x-t", "1");
        m.addMarker(HttpMessage.END_OF_TRAILERS);
        m.end();
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nabc", format(responses, m));
        assertTrue(responses.isDone());
    }

    @Test
    public void anHttp10ClientWithoutKeepAliveIsClosed() {
        responses.answer(HttpMessage.HTTP_1_0, HttpMessage.F_CLOSE | HttpMessage.F_BODYLESS, false);
        HttpMessage m = response(200, "OK");
        m.setContentLength(2);
        data(m, "hi");
        m.end();
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nhi", format(responses, m));
        assertTrue(responses.closesConnection());
    }

    @Test
    public void anHttp10ClientAskingKeepAliveIsKept() {
        responses.answer(HttpMessage.HTTP_1_0, HttpMessage.F_KEEP_ALIVE | HttpMessage.F_BODYLESS, false);
        HttpMessage m = response(200, "OK");
        m.setContentLength(2);
        data(m, "hi");
        m.end();
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nhi",
                format(responses, m));
        assertFalse(responses.closesConnection());
    }

    @Test
    public void anHttp10ClientGetsABodyOfUnknownLengthUntilTheClose() {
        responses.answer(HttpMessage.HTTP_1_0, HttpMessage.F_KEEP_ALIVE | HttpMessage.F_BODYLESS, false);
        HttpMessage m = response(200, "OK");
        data(m, "hello");
        m.end();
        assertEquals("HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nhello", format(responses, m));
        assertTrue(responses.isDone());
        assertTrue(responses.closesConnection());
    }

    @Test
    public void aResponseAskingCloseSaysSo() {
        HttpMessage m = response(200, "OK");
        m.setFlags(HttpMessage.F_CLOSE);
        m.setContentLength(0);
        m.end();
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n", format(responses, m));
        assertTrue(responses.closesConnection());
    }

    @Test
    public void aRequestAskingCloseGetsIt() {
        responses.answer(HttpMessage.HTTP_1_1, HttpMessage.F_CLOSE | HttpMessage.F_BODYLESS, false);
        HttpMessage m = response(200, "OK");
        m.end();
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n", format(responses, m));
        assertTrue(responses.closesConnection());
    }

    @Test
    public void aResponseToHeadKeepsItsLengthAndHasNoBody() {
        responses.answer(HttpMessage.HTTP_1_1, HttpMessage.F_BODYLESS, true);
        HttpMessage m = response(200, "OK");
        m.setContentLength(10);
        m.setFlags(HttpMessage.F_BODYLESS);
        m.end();
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n", format(responses, m));
        assertTrue(responses.isDone());
    }

    @Test
    public void aResponseToHeadWithoutLengthGetsNoFraming() {
        responses.answer(HttpMessage.HTTP_1_1, HttpMessage.F_BODYLESS, true);
        HttpMessage m = response(200, "OK");
        m.setFlags(HttpMessage.F_BODYLESS);
        m.end();
        assertEquals("HTTP/1.1 200 OK\r\n\r\n", format(responses, m));
    }

    @Test
    public void noContentHasNoFraming() {
        HttpMessage m = response(204, "No Content");
        m.setContentLength(0);
        m.setFlags(HttpMessage.F_BODYLESS);
        m.end();
        assertEquals("HTTP/1.1 204 No Content\r\n\r\n", format(responses, m));
        assertTrue(responses.isDone());
    }

    @Test
    public void anInterimResponseIsFollowedByTheFinalOne() {
        HttpMessage m = response(100, "Continue");
        m.setFlags(HttpMessage.F_BODYLESS);
        m.end();
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", format(responses, m));
        assertFalse(responses.isDone());
        m.reset();
        m.addStatusLine(HttpMessage.HTTP_1_1, 200, "OK");
        m.addMarker(HttpMessage.END_OF_HEADERS);
        m.end();
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", format(responses, m));
        assertTrue(responses.isDone());
    }

    @Test
    public void switchingProtocolsStartsATunnel() {
        responses.answer(HttpMessage.HTTP_1_1, HttpMessage.F_UPGRADE | HttpMessage.F_BODYLESS, false);
        HttpMessage m = response(101, "Switching Protocols", "upgrade", "websocket");
        m.setFlags(HttpMessage.F_BODYLESS | HttpMessage.F_UPGRADE);
        m.end();
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n",
                format(responses, m));
        assertTrue(responses.isTunnel());
        m.reset();
        data(m, "raw\r\nbytes");
        assertEquals("raw\r\nbytes", format(responses, m));
    }

    @Test
    public void aRequestWithALength() {
        HttpMessage m = request("POST", "/p?q=1", "host", "x");
        m.setContentLength(2);
        data(m, "hi");
        m.end();
        assertEquals("POST /p?q=1 HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\nhi", format(requests, m));
        assertTrue(requests.isDone());
        assertFalse(requests.isHeadRequest());
    }

    @Test
    public void aRequestBodyOfUnknownLengthIsChunked() {
        HttpMessage m = request("POST", "/p", "host", "x");
        data(m, "hi");
        m.end();
        assertEquals("POST /p HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
                format(requests, m));
    }

    @Test
    public void aBodylessRequestHasNoFraming() {
        HttpMessage m = request("HEAD", "/", "host", "x");
        m.setFlags(HttpMessage.F_BODYLESS);
        m.end();
        assertEquals("HEAD / HTTP/1.1\r\nhost: x\r\n\r\n", format(requests, m));
        assertTrue(requests.isDone());
        assertTrue(requests.isHeadRequest());
    }

    @Test
    public void anHttp10RequestAskingCloseIsSentAsHttp11WithClose() {
        HttpMessage m = new HttpMessage(101);
        m.attach(ByteBuffer.allocate(1024));
        m.addRequestLine(HttpMessage.HTTP_1_0, "GET", "/");
        m.addMarker(HttpMessage.END_OF_HEADERS);
        m.setFlags(HttpMessage.F_CLOSE | HttpMessage.F_BODYLESS);
        m.end();
        assertEquals("GET / HTTP/1.1\r\nconnection: close\r\n\r\n", format(requests, m));
        assertTrue(requests.closesConnection());
    }

    @Test
    public void anUpgradeRequestSaysSo() {
        HttpMessage m = request("GET", "/ws", "host", "x", "upgrade", "websocket");
        m.setFlags(HttpMessage.F_UPGRADE | HttpMessage.F_BODYLESS);
        m.end();
        assertEquals("GET /ws HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n",
                format(requests, m));
        assertTrue(requests.isUpgradeRequest());
    }

    @Test
    public void aNormalizedTargetIsSentAsItsPath() {
        HttpMessage m = request("GET", "https://example.com/a/b?c=d", "host", "example.com");
        m.setFlags(HttpMessage.F_NORMALIZED_TARGET | HttpMessage.F_BODYLESS);
        m.end();
        assertEquals("GET /a/b?c=d HTTP/1.1\r\nhost: example.com\r\n\r\n", format(requests, m));
    }
}
