package org.muxgate.proxy.engine;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Malformed responses from a raw backend: the client gets 502, and the server
 * connection that carried the bad response is never used again (the next request
 * of the same client comes on a new server connection).
 */
@RunWith(Parameterized.class)
public class HttpMalformedResponseTest extends HttpTestSupport {

    static final class Row {
        final String name;
        /** The bytes the backend answers; null: it closes without answering. */
        final String response;
        /** The backend closes its connection after writing the response. */
        final boolean thenClose;

        Row(String name, String response, boolean thenClose) {
            this.name = name;
            this.response = response;
            this.thenClose = thenClose;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String OK_LINE = "HTTP/1.1 200 OK\r\n";

    @Parameters(name = "{index}: {0}")
    public static Collection<Object[]> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("content-length and transfer-encoding", OK_LINE
                + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", false));
        rows.add(new Row("transfer-encoding gzip", OK_LINE + "Transfer-Encoding: gzip\r\n\r\nhello", false));
        rows.add(new Row("unknown coding before chunked", OK_LINE + "Transfer-Encoding: gzip, chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n", false));
        rows.add(new Row("chunked twice", OK_LINE + "Transfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                false));
        rows.add(new Row("empty transfer-encoding", OK_LINE + "Transfer-Encoding: \r\n\r\nhello", false));
        rows.add(new Row("transfer-encoding on HTTP/1.0", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n", false));
        rows.add(new Row("two different content-lengths", OK_LINE + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n"
                + "hello!", false));
        rows.add(new Row("content-length abc", OK_LINE + "Content-Length: abc\r\n\r\nhello", false));
        rows.add(new Row("content-length -1", OK_LINE + "Content-Length: -1\r\n\r\nhello", false));
        rows.add(new Row("content-length +2", OK_LINE + "Content-Length: +2\r\n\r\nok", false));
        rows.add(new Row("bare LF line endings", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", false));
        rows.add(new Row("bare CR ending the status line", "HTTP/1.1 200 OK\rContent-Length: 2\r\n\r\nok", false));
        rows.add(new Row("two-digit status", "HTTP/1.1 20 OK\r\nContent-Length: 2\r\n\r\nok", false));
        rows.add(new Row("status 600", "HTTP/1.1 600 Odd\r\nContent-Length: 2\r\n\r\nok", false));
        rows.add(new Row("version HTTP/1.2", "HTTP/1.2 200 OK\r\nContent-Length: 2\r\n\r\nok", false));
        rows.add(new Row("version HTTP/2", "HTTP/2 200\r\nContent-Length: 2\r\n\r\nok", false));
        rows.add(new Row("obs-fold", OK_LINE + "X-A: a\r\n b\r\nContent-Length: 2\r\n\r\nok", false));
        rows.add(new Row("space before a colon", OK_LINE + "Content-Length : 2\r\n\r\nok", false));
        rows.add(new Row("NUL in a header value", OK_LINE + "X-A: a\u0000b\r\nContent-Length: 2\r\n\r\nok", false));
        rows.add(new Row("header line without colon", OK_LINE + "X-A\r\nContent-Length: 2\r\n\r\nok", false));
        rows.add(new Row("empty header name", OK_LINE + ": x\r\nContent-Length: 2\r\n\r\nok", false));
        rows.add(new Row("101 to a request that did not ask to upgrade", "HTTP/1.1 101 Switching Protocols\r\n"
                + "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n", false));
        rows.add(new Row("not HTTP at all", "hello world\r\n\r\n", false));
        rows.add(new Row("more than tune.http.maxhdr headers", OK_LINE + "X-1: 1\r\nX-2: 2\r\nX-3: 3\r\nX-4: 4\r\n"
                + "X-5: 5\r\nX-6: 6\r\nX-7: 7\r\nX-8: 8\r\nX-9: 9\r\nX-10: 10\r\nContent-Length: 2\r\n\r\nok", false));
        rows.add(new Row("head longer than tune.bufsize", OK_LINE + ("X-Long: " + "b".repeat(1000) + "\r\n").repeat(5)
                + "Content-Length: 2\r\n\r\nok", false));
        rows.add(new Row("closed without a response", null, true));
        rows.add(new Row("closed in the middle of the head", OK_LINE + "Content-Le", true));
        rows.add(new Row("closed after the status line", OK_LINE, true));

        List<Object[]> parameters = new ArrayList<>();
        for (Row row : rows) {
            parameters.add(new Object[] {row});
        }
        return parameters;
    }

    private final Row row;

    public HttpMalformedResponseTest(Row row) {
        this.row = row;
    }

    @Test
    public void response() throws Exception {
        byte[] ok = bytes(HttpTestBackend.OK);
        HttpTestBackend backend = backend((request, index, socket) -> {
            if (request.target().equals("/sentinel")) {
                return ok;
            }
            if (row.response != null) {
                OutputStream out = socket.getOutputStream();
                out.write(bytes(row.response));
                out.flush();
            }
            // Without closing, the backend waits for the next request on this connection.
            return row.thenClose ? null : new byte[0];
        });
        startHttpProxy(HttpSmugglingTest.config(), backend.port());
        String what = "response " + (row.response == null ? "(none)" : HttpTestBackend.escape(row.response));
        Socket socket = client();
        InputStream in = input(socket);
        send(socket, bytes("GET /r HTTP/1.1\r\nHost: a\r\n\r\n"));
        HttpWire.Message response = response(in);
        assertEquals(what + "\nclient got: " + HttpTestBackend.escape(response.rawText()), 502, response.status());

        // The next request, on the same client connection if the proxy kept it, else on a new one.
        HttpWire.Message sentinel;
        try {
            send(socket, bytes("GET /sentinel HTTP/1.1\r\nHost: a\r\n\r\n"));
            sentinel = HttpWire.read(in, true, false);
        } catch (IOException closed) {
            sentinel = null;
        }
        if (sentinel == null) {
            sentinel = get("/sentinel");
        }
        assertEquals(what + "\nthen a sentinel request got " + sentinel.startLine, 200, sentinel.status());
        assertEquals(what + "\nthe server connection of the bad response was reused: " + backend.describe(), 2,
                backend.accepted.get());
        assertEquals(backend.describe(), "/r", backend.connections.get(0).requests.get(0).target());
        assertEquals(backend.describe(), 1, backend.connections.get(0).requests.size());
        assertEquals(backend.describe(), "/sentinel", backend.connections.get(1).requests.get(0).target());
    }
}
