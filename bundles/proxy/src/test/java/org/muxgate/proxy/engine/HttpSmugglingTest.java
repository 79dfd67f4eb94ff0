package org.muxgate.proxy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Malformed and ambiguous requests (RFC 9112, HAProxy's strictness), each sent in
 * one write on a raw socket through a mode http proxy to a raw backend that records
 * every byte it gets. For each: the status the client receives, that the proxy
 * closes the client connection after an error, and what reached the backend:
 * nothing for a rejected head; never a complete request for a rejected body; for an
 * accepted request exactly one request with the same method, target, end-to-end
 * headers and body, and nothing after it (no smuggled second request).
 *
 * <p>Each row then sends a sentinel request on a new connection and waits for its
 * answer, so that whatever the proxy forwarded for the row has reached the backend
 * before the backend's record is checked.
 */
@RunWith(Parameterized.class)
public class HttpSmugglingTest extends HttpTestSupport {

    private static final String H = "Host: a\r\n";
    private static final String HIDDEN = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";

    /** What the backend must have received. */
    enum Outcome { FORWARDED, NOTHING, NO_COMPLETE_REQUEST }

    static final class Row {
        final String name;
        final String request;
        final int status;
        final Outcome outcome;
        /** FORWARDED: method and target, headers ("name: value", lower-case names, no framing headers), body. */
        String methodAndTarget;
        List<String> headers;
        String body;

        Row(String name, String request, int status, Outcome outcome) {
            this.name = name;
            this.request = request;
            this.status = status;
            this.outcome = outcome;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Row ok(String name, String request, String methodAndTarget, String body, String... headers) {
        Row row = new Row(name, request, 200, Outcome.FORWARDED);
        row.methodAndTarget = methodAndTarget;
        row.body = body;
        row.headers = Arrays.asList(headers);
        return row;
    }

    /** A head the proxy must refuse before anything reaches the server. */
    private static Row bad(String name, String request) {
        return new Row(name, request, 400, Outcome.NOTHING);
    }

    private static Row bad(String name, String request, int status) {
        return new Row(name, request, status, Outcome.NOTHING);
    }

    /** A body the proxy must refuse: the head may have been forwarded, never the whole request. */
    private static Row badBody(String name, String request) {
        return new Row(name, request, 400, Outcome.NO_COMPLETE_REQUEST);
    }

    private static String post(String headers, String body) {
        return "POST /p HTTP/1.1\r\n" + H + headers + "\r\n" + body;
    }

    private static String chunked(String chunks) {
        return post("Transfer-Encoding: chunked\r\n", chunks);
    }

    private static String getWith(String headers) {
        return "GET / HTTP/1.1\r\n" + H + headers + "\r\n";
    }

    @Parameters(name = "{index}: {0}")
    public static Collection<Object[]> rows() {
        List<Row> rows = new ArrayList<>();
        // Accepted, and forwarded as one normalized request.
        rows.add(ok("plain GET", getWith(""), "GET /", "", "host: a"));
        rows.add(ok("content-length body", post("Content-Length: 5\r\n", "hello"), "POST /p", "hello", "host: a"));
        rows.add(ok("chunked body", chunked("5\r\nhello\r\n0\r\n\r\n"), "POST /p", "hello", "host: a"));
        rows.add(ok("equal content-length headers merged", post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello"),
                "POST /p", "hello", "host: a"));
        rows.add(ok("equal content-length list merged", post("Content-Length: 5, 5\r\n", "hello"), "POST /p", "hello",
                "host: a"));
        rows.add(ok("content-length with leading zeros", post("Content-Length: 005\r\n", "hello"), "POST /p", "hello",
                "host: a"));
        rows.add(ok("content-length with whitespace around", post("Content-Length:  5 \r\n", "hello"), "POST /p",
                "hello", "host: a"));
        rows.add(ok("transfer-encoding in upper case", post("Transfer-Encoding: CHUNKED\r\n", "5\r\nhello\r\n0\r\n\r\n"),
                "POST /p", "hello", "host: a"));
        rows.add(ok("transfer-encoding with whitespace around", post("Transfer-Encoding: \t chunked \r\n",
                "5\r\nhello\r\n0\r\n\r\n"), "POST /p", "hello", "host: a"));
        rows.add(ok("chunk extension", chunked("5;name=value\r\nhello\r\n0\r\n\r\n"), "POST /p", "hello", "host: a"));
        rows.add(ok("whitespace before a chunk extension", chunked("5 ;ext\r\nhello\r\n0\r\n\r\n"), "POST /p", "hello",
                "host: a"));
        rows.add(ok("upper-case hex chunk size", chunked("A\r\n0123456789\r\n0\r\n\r\n"), "POST /p", "0123456789",
                "host: a"));
        rows.add(ok("chunk sizes with leading zeros", chunked("0005\r\nhello\r\n000\r\n\r\n"), "POST /p", "hello",
                "host: a"));
        rows.add(ok("several chunks", chunked("2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n"), "POST /p", "hello", "host: a"));
        rows.add(ok("trailer after the last chunk", chunked("5\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n"), "POST /p",
                "hello", "host: a"));
        rows.add(ok("empty lines before the request line", "\r\n\r\n" + getWith(""), "GET /", "", "host: a"));
        rows.add(ok("HTTP/1.0 without Host", "GET /old HTTP/1.0\r\n\r\n", "GET /old", ""));
        rows.add(ok("tab inside a header value", getWith("X-A: a\tb\r\n"), "GET /", "", "host: a", "x-a: a\tb"));
        rows.add(ok("obs-text in a header value", getWith("X-A: caf\u00e9\r\n"), "GET /", "", "host: a", "x-a: caf\u00e9"));
        rows.add(ok("request hidden in a content-length body", post("Content-Length: " + HIDDEN.length() + "\r\n",
                HIDDEN), "POST /p", HIDDEN, "host: a"));
        rows.add(ok("request hidden in a chunk", chunked(Integer.toHexString(HIDDEN.length()) + "\r\n" + HIDDEN
                + "\r\n0\r\n\r\n"), "POST /p", HIDDEN, "host: a"));
        rows.add(ok("exactly tune.http.maxhdr headers", getWith("X-1: 1\r\nX-2: 2\r\nX-3: 3\r\nX-4: 4\r\nX-5: 5\r\n"
                + "X-6: 6\r\nX-7: 7\r\nX-8: 8\r\nX-9: 9\r\n"), "GET /", "", "host: a", "x-1: 1", "x-2: 2", "x-3: 3",
                "x-4: 4", "x-5: 5", "x-6: 6", "x-7: 7", "x-8: 8", "x-9: 9"));
        rows.add(ok("content-length 0", post("Content-Length: 0\r\n", ""), "POST /p", "", "host: a"));
        rows.add(ok("header name of every token character", getWith("X!#$%&'*+-.^_`|~1: v\r\n"), "GET /", "", "host: a",
                "x!#$%&'*+-.^_`|~1: v"));

        // Transfer-Encoding and Content-Length.
        rows.add(bad("content-length then transfer-encoding", post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                "5\r\nhello\r\n0\r\n\r\n")));
        rows.add(bad("transfer-encoding then content-length", post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
                "5\r\nhello\r\n0\r\n\r\n")));
        rows.add(bad("CL.TE smuggling with content-length 0", post("Content-Length: 0\r\nTransfer-Encoding: chunked\r\n",
                Integer.toHexString(HIDDEN.length()) + "\r\n" + HIDDEN + "\r\n0\r\n\r\n")));
        rows.add(bad("TE.CL smuggling", post("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n",
                "5c\r\n" + HIDDEN + "\r\n0\r\n\r\n")));
        rows.add(bad("transfer-encoding not ending in chunked", post("Transfer-Encoding: gzip\r\n", "hello")));
        rows.add(bad("coding after chunked", post("Transfer-Encoding: chunked, gzip\r\n", "5\r\nhello\r\n0\r\n\r\n")));
        rows.add(bad("chunked twice in one header", post("Transfer-Encoding: chunked, chunked\r\n",
                "5\r\nhello\r\n0\r\n\r\n")));
        rows.add(bad("chunked in two headers", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                "5\r\nhello\r\n0\r\n\r\n")));
        rows.add(bad("empty transfer-encoding", post("Transfer-Encoding: \r\n", "5\r\nhello\r\n0\r\n\r\n")));
        rows.add(bad("comma-only transfer-encoding", post("Transfer-Encoding: ,\r\n", "5\r\nhello\r\n0\r\n\r\n")));
        rows.add(bad("transfer-encoding on HTTP/1.0", "POST /p HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n"));
        rows.add(bad("unknown coding before chunked", post("Transfer-Encoding: gzip, chunked\r\n",
                "5\r\nhello\r\n0\r\n\r\n"), 501));
        rows.add(bad("unknown coding in a header of its own before chunked", post("Transfer-Encoding: x-custom\r\n"
                + "Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"), 501));
        rows.add(bad("space before the colon of transfer-encoding", post("Transfer-Encoding : chunked\r\n",
                "5\r\nhello\r\n0\r\n\r\n")));
        rows.add(bad("two different content-lengths", post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!")));
        rows.add(bad("content-length list of different values", post("Content-Length: 5,6\r\n", "hello!")));
        rows.add(bad("empty content-length", post("Content-Length: \r\n", "hello")));
        rows.add(bad("content-length +5", post("Content-Length: +5\r\n", "hello")));
        rows.add(bad("content-length -1", post("Content-Length: -1\r\n", "hello")));
        rows.add(bad("content-length 0x5", post("Content-Length: 0x5\r\n", "hello")));
        rows.add(bad("content-length 5 5", post("Content-Length: 5 5\r\n", "hello")));
        rows.add(bad("content-length overflow", post("Content-Length: 99999999999999999999\r\n", "hello")));
        rows.add(bad("content-length 5a", post("Content-Length: 5a\r\n", "hello")));
        rows.add(bad("content-length 5.0", post("Content-Length: 5.0\r\n", "hello")));

        // Chunk sizes and chunk framing.
        rows.add(badBody("chunk size +5", chunked("+5\r\nhello\r\n0\r\n\r\n")));
        rows.add(badBody("chunk size -5", chunked("-5\r\nhello\r\n0\r\n\r\n")));
        rows.add(badBody("chunk size 0x5", chunked("0x5\r\nhello\r\n0\r\n\r\n")));
        rows.add(badBody("space before a chunk size", chunked(" 5\r\nhello\r\n0\r\n\r\n")));
        rows.add(badBody("space after a chunk size without extension", chunked("5 \r\nhello\r\n0\r\n\r\n")));
        rows.add(badBody("chunk size overflow", chunked("fffffffffffffffff\r\nhello\r\n0\r\n\r\n")));
        rows.add(badBody("chunk size not hex", chunked("g\r\nhello\r\n0\r\n\r\n")));
        rows.add(badBody("empty chunk size", chunked("\r\nhello\r\n0\r\n\r\n")));
        rows.add(badBody("chunk data longer than its size", chunked("5\r\nhelloX\r\n0\r\n\r\n")));
        rows.add(badBody("bare LF after chunk data", chunked("5\r\nhello\n0\r\n\r\n")));
        rows.add(badBody("bare LF after a chunk size", chunked("5\nhello\r\n0\r\n\r\n")));
        rows.add(badBody("bare CR after a chunk size", chunked("5\rhello\r\n0\r\n\r\n")));
        rows.add(badBody("bare LF ending the last chunk", chunked("5\r\nhello\r\n0\n\r\n")));

        // Line endings.
        rows.add(bad("bare LF line endings", "GET / HTTP/1.1\nHost: a\n\n"));
        rows.add(bad("bare LF after one header", "GET / HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n"));
        rows.add(bad("bare LF ending the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n"));
        rows.add(bad("bare CR ending the request line", "GET / HTTP/1.1\rHost: a\r\n\r\n"));
        rows.add(bad("bare CR in a header value", getWith("X-A: a\rb\r\n")));
        rows.add(bad("LF alone ending the head", "GET / HTTP/1.1\r\nHost: a\r\n\n"));
        // Header fields.
        rows.add(bad("NUL in a header value", getWith("X-A: a\u0000b\r\n")));
        rows.add(bad("DEL in a header value", getWith("X-A: a\u007fb\r\n")));
        rows.add(bad("control character in a header value", getWith("X-A: a\u0001b\r\n")));
        rows.add(bad("empty header name", getWith(": x\r\n")));
        rows.add(bad("space before a colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n"));
        rows.add(bad("tab before a colon", getWith("X-A\t: b\r\n")));
        rows.add(bad("obs-fold with a space", getWith("X-A: a\r\n b\r\n")));
        rows.add(bad("obs-fold with a tab", getWith("X-A: a\r\n\tb\r\n")));
        rows.add(bad("obs-fold hiding content-length", getWith("X-A: a\r\n Content-Length: 5\r\n")));
        rows.add(bad("header line without colon", getWith("X-A\r\n")));
        rows.add(bad("invalid character in a header name", getWith("X@A: b\r\n")));
        rows.add(bad("whitespace before the first header", "GET / HTTP/1.1\r\n Host: a\r\n\r\n"));
        rows.add(bad("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n"));
        rows.add(bad("two Host headers", getWith("Host: b\r\n")));
        rows.add(bad("more than tune.http.maxhdr headers", getWith("X-1: 1\r\nX-2: 2\r\nX-3: 3\r\nX-4: 4\r\nX-5: 5\r\n"
                + "X-6: 6\r\nX-7: 7\r\nX-8: 8\r\nX-9: 9\r\nX-10: 10\r\n")));
        // Request line.
        rows.add(bad("two spaces after the method", "GET  / HTTP/1.1\r\n" + H + "\r\n"));
        rows.add(bad("tab between method and target", "GET\t/ HTTP/1.1\r\n" + H + "\r\n"));
        rows.add(bad("space in the target", "GET /a b HTTP/1.1\r\n" + H + "\r\n"));
        rows.add(bad("control character in the target", "GET /a\u0001b HTTP/1.1\r\n" + H + "\r\n"));
        rows.add(bad("non-ASCII byte in the target", "GET /caf\u00e9 HTTP/1.1\r\n" + H + "\r\n"));
        rows.add(bad("version HTTP/1.2", "GET / HTTP/1.2\r\n" + H + "\r\n"));
        rows.add(bad("version HTTP/2.0", "GET / HTTP/2.0\r\n" + H + "\r\n"));
        rows.add(bad("lower-case version", "GET / http/1.1\r\n" + H + "\r\n"));
        rows.add(bad("HTTP/0.9 request line", "GET /\r\n\r\n"));
        rows.add(bad("invalid character in the method", "G(T / HTTP/1.1\r\n" + H + "\r\n"));
        rows.add(bad("empty method", " / HTTP/1.1\r\n" + H + "\r\n"));
        rows.add(bad("space after the version", "GET / HTTP/1.1 \r\n" + H + "\r\n"));
        rows.add(bad("request line longer than tune.bufsize", "GET /" + "a".repeat(5000) + " HTTP/1.1\r\n" + H + "\r\n"));
        rows.add(bad("head longer than tune.bufsize", getWith(("X-Long: " + "b".repeat(1000) + "\r\n").repeat(5))));

        List<Object[]> parameters = new ArrayList<>();
        for (Row row : rows) {
            parameters.add(new Object[] {row});
        }
        return parameters;
    }

    private final Row row;

    public HttpSmugglingTest(Row row) {
        this.row = row;
    }

    static String config() {
        return "global\n  tune.bufsize 4096\n  tune.http.maxhdr 10\n"
                + defaults("timeout http-request 5s") + httpFrontend() + httpBackend();
    }

    @Test
    public void request() throws Exception {
        HttpTestBackend backend = backend();
        startHttpProxy(config(), backend.port());
        String what = "request " + HttpTestBackend.escape(row.request);
        HttpWire.Message response;
        boolean ended = false;
        try (Socket socket = client()) {
            send(socket, bytes(row.request));
            InputStream in = input(socket);
            try {
                response = HttpWire.read(in, true, false);
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError(what + "\nno response within " + TIMEOUT_MS + " ms; backend got: "
                        + backend.describe());
            }
            if (response != null && response.status() != 200) {
                try {
                    ended = in.read() < 0;
                } catch (java.net.SocketTimeoutException e) {
                    ended = false;
                } catch (java.io.IOException reset) {
                    ended = true;
                }
            }
        }
        HttpWire.Message sentinel = get("/sentinel");
        assertEquals(what + "\nthen a sentinel request got " + sentinel.startLine, 200, sentinel.status());

        List<HttpWire.Message> received = new ArrayList<>();
        for (HttpWire.Message request : backend.requests()) {
            if (!request.target().equals("/sentinel")) {
                received.add(request);
            }
        }
        String got = what + "\nclient got: " + (response == null ? "nothing (closed)"
                : HttpTestBackend.escape(response.rawText())) + "\nbackend got: " + backend.describe();
        switch (row.outcome) {
            case NOTHING:
                assertEquals(got, List.of(), received);
                for (HttpTestBackend.Connection connection : backend.connections) {
                    assertNull(got, connection.error);
                }
                break;
            case NO_COMPLETE_REQUEST:
                assertEquals(got, List.of(), received);
                break;
            case FORWARDED:
                assertEquals(got, 1, received.size());
                HttpWire.Message request = received.get(0);
                String line = request.startLine;
                assertTrue(got, line.matches("\\S+ \\S+ HTTP/1\\.[01]"));
                assertEquals(got, row.methodAndTarget, line.substring(0, line.lastIndexOf(' ')));
                assertEquals(got, row.headers, request.endToEndHeaders());
                assertEquals(got, row.body, request.bodyText());
                for (HttpTestBackend.Connection connection : backend.connections) {
                    assertNull(got, connection.error);
                }
                break;
            default:
                throw new AssertionError(row.outcome);
        }
        if (response == null) {
            fail(got + "\nexpected a " + row.status + " response; the proxy closed the connection without one");
        }
        assertEquals(got, row.status, response.status());
        if (row.status != 200) {
            assertTrue(got + "\nthe proxy did not close the connection after its error response", ended);
        } else {
            assertEquals("ok", response.bodyText());
        }
    }
}
