package org.muxgate.mux.h1;

import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.muxgate.api.http.HttpMessage;

/**
 * The parser against a table of malformed, ambiguous and valid messages. Each row
 * is parsed twice, the bytes given all at once and one at a time, with the same
 * expected outcome: an error status, or the exact content of the message
 * ({@link Messages#describe}). The input ends with a close, which ends a response
 * without length (and cuts anything incomplete).
 */
@RunWith(Parameterized.class)
public class H1ParserTableTest {

    private static final String H = "host: x\r\n";
    private static final String GET = "GET / HTTP/1.1\r\n" + H;
    private static final String POST = "POST /p HTTP/1.1\r\n" + H;
    private static final String CHUNKED = POST + "transfer-encoding: chunked\r\n\r\n";
    private static final String OK = "HTTP/1.1 200 OK\r\n";
    private static final int BUFSIZE = 4096;

    private static final List<Object[]> ROWS = new ArrayList<>();

    private final String name;
    private final int kind;
    private final String raw;
    private final String expected;
    private final int maxHeaders;

    private static final int REQUEST = 0;
    private static final int RESPONSE = 1;
    private static final int RESPONSE_TO_HEAD = 2;
    private static final int RESPONSE_TO_UPGRADE = 3;

    public H1ParserTableTest(String name, int kind, String raw, String expected, int maxHeaders) {
        this.name = name;
        this.kind = kind;
        this.raw = raw;
        this.expected = expected;
        this.maxHeaders = maxHeaders;
    }

    private static void req(String name, String raw, String expected) {
        ROWS.add(new Object[] {"request: " + name, REQUEST, raw, expected, 101});
    }

    private static void res(String name, String raw, String expected) {
        ROWS.add(new Object[] {"response: " + name, RESPONSE, raw, expected, 101});
    }

    private static String headers(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("x-h").append(i).append(": v\r\n");
        }
        return b.toString();
    }

    @Parameters(name = "{0}")
    public static Collection<Object[]> rows() {
        // ---- Transfer-Encoding and Content-Length together, and bad codings
        req("TE with CL", POST + "content-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n", "400");
        req("CL after TE", POST + "transfer-encoding: chunked\r\ncontent-length: 5\r\n\r\n0\r\n\r\n", "400");
        req("CL 0 with TE", POST + "transfer-encoding: chunked\r\ncontent-length: 0\r\n\r\n0\r\n\r\n", "400");
        req("TE chunked, chunked", POST + "transfer-encoding: chunked, chunked\r\n\r\n0\r\n\r\n", "400");
        req("TE chunked twice in two headers",
                POST + "transfer-encoding: chunked\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n", "400");
        req("TE gzip", POST + "transfer-encoding: gzip\r\n\r\n", "400");
        req("TE chunked, gzip", POST + "transfer-encoding: chunked, gzip\r\n\r\n", "400");
        req("TE gzip, chunked", POST + "transfer-encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "501");
        req("TE deflate then chunked in two headers",
                POST + "transfer-encoding: deflate\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n", "501");
        req("TE empty", POST + "transfer-encoding: \r\n\r\n", "400");
        req("TE comma", POST + "transfer-encoding: ,\r\n\r\n", "400");
        req("TE commas and spaces", POST + "transfer-encoding:  , ,\r\n\r\n", "400");
        req("TE on HTTP/1.0", "POST /p HTTP/1.0\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n", "400");
        req("TE chunked with a parameter", POST + "transfer-encoding: chunked;q=1\r\n\r\n", "400");
        req("TE xchunked", POST + "transfer-encoding: xchunked\r\n\r\n", "400");
        req("TE chunked then an empty TE", POST + "transfer-encoding: chunked\r\ntransfer-encoding:\r\n\r\n", "400");
        req("TE Chunked in capitals accepted", POST + "transfer-encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                "REQ POST /p 11|host: x|--|body=hello|==|flags=CHUNKED,END");
        req("TE with a trailing empty element accepted", POST + "Transfer-Encoding: chunked ,\r\n\r\n0\r\n\r\n",
                "REQ POST /p 11|host: x|--|==|flags=CHUNKED,END");

        // ---- Content-Length
        req("CL +5", POST + "content-length: +5\r\n\r\nhello", "400");
        req("CL -1", POST + "content-length: -1\r\n\r\n", "400");
        req("CL 5 5", POST + "content-length: 5 5\r\n\r\nhello", "400");
        req("CL 0x5", POST + "content-length: 0x5\r\n\r\nhello", "400");
        req("CL 5,6", POST + "content-length: 5,6\r\n\r\nhello", "400");
        req("CL 5 and 6 in two headers", POST + "content-length: 5\r\ncontent-length: 6\r\n\r\nhello", "400");
        req("CL overflow", POST + "content-length: 99999999999999999999\r\n\r\n", "400");
        req("CL Long.MAX_VALUE + 1", POST + "content-length: 9223372036854775808\r\n\r\n", "400");
        req("CL empty", POST + "content-length: \r\n\r\n", "400");
        req("CL 5 with an empty element", POST + "content-length: 5,\r\n\r\nhello", "400");
        req("CL 5a", POST + "content-length: 5a\r\n\r\nhello", "400");
        req("CL 5.0", POST + "content-length: 5.0\r\n\r\nhello", "400");
        req("CL with a leading empty element", POST + "content-length: , 5\r\n\r\nhello", "400");
        req("CL body cut by the close", POST + "content-length: 10\r\n\r\nhello", "400");
        req("CL with spaces around accepted", POST + "content-length:  5 \t\r\n\r\nhello",
                "REQ POST /p 11|host: x|--|body=hello|flags=CL:5,END");
        req("CL 5, 5 merged", POST + "content-length: 5, 5\r\n\r\nhello",
                "REQ POST /p 11|host: x|--|body=hello|flags=CL:5,END");
        req("CL 5 twice merged", POST + "content-length: 5\r\nContent-Length: 5\r\n\r\nhello",
                "REQ POST /p 11|host: x|--|body=hello|flags=CL:5,END");
        req("CL with leading zeros accepted", POST + "content-length: 0005\r\n\r\nhello",
                "REQ POST /p 11|host: x|--|body=hello|flags=CL:5,END");
        req("CL 0 accepted", POST + "content-length: 0\r\n\r\n", "REQ POST /p 11|host: x|--|flags=CL:0,END");

        // ---- Chunks
        req("chunk size -5", CHUNKED + "-5\r\nhello\r\n0\r\n\r\n", "400");
        req("chunk size +5", CHUNKED + "+5\r\nhello\r\n0\r\n\r\n", "400");
        req("chunk size 0x5", CHUNKED + "0x5\r\nhello\r\n0\r\n\r\n", "400");
        req("chunk size with a leading space", CHUNKED + " 5\r\nhello\r\n0\r\n\r\n", "400");
        req("chunk size with a trailing space", CHUNKED + "5 \r\nhello\r\n0\r\n\r\n", "400");
        req("chunk size of 17 digits", CHUNKED + "fffffffffffffffff\r\n", "400");
        req("chunk size of 16 digits", CHUNKED + "1000000000000000\r\n", "400");
        req("chunk size g", CHUNKED + "g\r\n", "400");
        req("chunk size empty", CHUNKED + "\r\nhello\r\n0\r\n\r\n", "400");
        req("chunk data not followed by CRLF", CHUNKED + "5\r\nhelloXX\r\n0\r\n\r\n", "400");
        req("chunk data followed by a bare LF", CHUNKED + "5\r\nhello\n0\r\n\r\n", "400");
        req("chunk size line with a bare LF", CHUNKED + "5\nhello\r\n0\r\n\r\n", "400");
        req("chunk size line with a bare CR", CHUNKED + "5\rhello\r\n0\r\n\r\n", "400");
        req("chunk extension with a control character", CHUNKED + "5;a\u0001\r\nhello\r\n0\r\n\r\n", "400");
        req("last chunk without the final CRLF", CHUNKED + "5\r\nhello\r\n0\r\n", "400");
        req("malformed trailer", CHUNKED + "0\r\nbad trailer\r\n\r\n", "400");
        req("trailer with a bare LF", CHUNKED + "0\r\nx-t: 1\n\r\n", "400");
        req("chunks with extensions and trailers accepted",
                CHUNKED + "5;name=value\r\nhello\r\n6 ; x\r\n world\r\nA\r\n0123456789\r\n0\r\nX-Sum: 1\r\n\r\n",
                "REQ POST /p 11|host: x|--|body=hello world0123456789|T x-sum: 1|==|flags=CHUNKED,END");
        req("chunk size with leading zeros accepted", CHUNKED + "0000000000005\r\nhello\r\n0\r\n\r\n",
                "REQ POST /p 11|host: x|--|body=hello|==|flags=CHUNKED,END");

        // ---- Line endings
        req("request line ending with a bare LF", "GET / HTTP/1.1\nhost: x\r\n\r\n", "400");
        req("header ending with a bare LF", "GET / HTTP/1.1\r\nhost: x\n\r\n", "400");
        req("empty line as a bare LF", "GET / HTTP/1.1\r\nhost: x\r\n\n", "400");
        req("only bare LFs", "GET / HTTP/1.1\nhost: x\n\n", "400");
        req("bare CR in the request line", "GET /\r HTTP/1.1\r\nhost: x\r\n\r\n", "400");
        req("bare CR in a value", GET + "x-a: a\rb\r\n\r\n", "400");
        req("bare CR ending a line", "GET / HTTP/1.1\rhost: x\r\n\r\n", "400");

        // ---- Header fields
        req("NUL in a value", GET + "x-a: a\u0000b\r\n\r\n", "400");
        req("control character in a value", GET + "x-a: a\u0001b\r\n\r\n", "400");
        req("DEL in a value", GET + "x-a: a\u007fb\r\n\r\n", "400");
        req("space before the colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", "400");
        req("tab before the colon", GET + "x-a\t: b\r\n\r\n", "400");
        req("obs-fold with a space", GET + "x-a: a\r\n b\r\n\r\n", "400");
        req("obs-fold with a tab", GET + "x-a: a\r\n\tb\r\n\r\n", "400");
        req("first header line folded", "GET / HTTP/1.1\r\n host: x\r\n\r\n", "400");
        req("empty name", GET + ": b\r\n\r\n", "400");
        req("name with @", GET + "x@a: b\r\n\r\n", "400");
        req("name with a space", GET + "x a: b\r\n\r\n", "400");
        req("line without colon", GET + "xyz\r\n\r\n", "400");
        req("non-ASCII name", GET + "x\u00e9: b\r\n\r\n", "400");
        req("values trimmed, obs-text kept, names lower-cased",
                "GET /a?b=c HTTP/1.1\r\nHost:x\r\nX-Long:  a b \t\r\nX-Text: caf\u00e9\r\nX-Empty:\r\n\r\n",
                "REQ GET /a?b=c 11|host: x|x-long: a b|x-text: caf\u00e9|x-empty: |--|flags=BODYLESS,END");

        // ---- Start line
        req("two spaces after the method", "GET  / HTTP/1.1\r\n" + H + "\r\n", "400");
        req("space after the version", "GET / HTTP/1.1 \r\n" + H + "\r\n", "400");
        req("space in the target", "GET /a b HTTP/1.1\r\n" + H + "\r\n", "400");
        req("HTTP/1.2", "GET / HTTP/1.2\r\n" + H + "\r\n", "400");
        req("HTTP/2.0", "GET / HTTP/2.0\r\n" + H + "\r\n", "400");
        req("HTTP/1", "GET / HTTP/1\r\n" + H + "\r\n", "400");
        req("HTTP/1.10", "GET / HTTP/1.10\r\n" + H + "\r\n", "400");
        req("lower-case version", "GET / http/1.1\r\n" + H + "\r\n", "400");
        req("tab after the method", "GET\t/ HTTP/1.1\r\n" + H + "\r\n", "400");
        req("tab before the version", "GET /\tHTTP/1.1\r\n" + H + "\r\n", "400");
        req("method not a token", "G(T / HTTP/1.1\r\n" + H + "\r\n", "400");
        req("leading space", " GET / HTTP/1.1\r\n" + H + "\r\n", "400");
        req("non-ASCII target", "GET /caf\u00e9 HTTP/1.1\r\n" + H + "\r\n", "400");
        req("control character in the target", "GET /a\u0001 HTTP/1.1\r\n" + H + "\r\n", "400");
        req("method only", "GET\r\n" + H + "\r\n", "400");
        req("no version", "GET /\r\n" + H + "\r\n", "400");
        req("empty version", "GET / \r\n" + H + "\r\n", "400");
        req("no method", "/ HTTP/1.1\r\n" + H + "\r\n", "400");
        req("head cut by the close", "GET / HTTP/1.1\r\nhost: x\r\n", "400");
        req("empty lines before the request line skipped", "\r\n\r\nGET / HTTP/1.1\r\n" + H + "\r\n",
                "REQ GET / 11|host: x|--|flags=BODYLESS,END");

        // ---- Host
        req("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nx-a: b\r\n\r\n", "400");
        req("two Host headers", GET + "Host: y\r\n\r\n", "400");
        req("two Host headers in HTTP/1.0", "GET / HTTP/1.0\r\nhost: x\r\nhost: y\r\n\r\n", "400");
        req("HTTP/1.0 without Host accepted", "GET / HTTP/1.0\r\n\r\n", "REQ GET / 10|--|flags=CLOSE,BODYLESS,END");

        // ---- Limits
        req("102 headers with maxHeaders 101", "GET / HTTP/1.1\r\n" + H + headers(101) + "\r\n", "400");
        req("head larger than the buffer", "GET / HTTP/1.1\r\n" + H + "x-big: " + "a".repeat(BUFSIZE) + "\r\n\r\n",
                "400");
        req("101 headers with maxHeaders 101 accepted", "GET / HTTP/1.1\r\n" + H + headers(100) + "\r\n",
                "REQ GET / 11|host: x|" + headers(100).replace("\r\n", "|") + "--|flags=BODYLESS,END");

        // ---- Connection management and other flags
        req("HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\nkeep-alive: timeout=5\r\n\r\n",
                "REQ GET / 10|--|flags=BODYLESS,KA,END");
        req("HTTP/1.1 close", GET + "connection: close\r\n\r\n", "REQ GET / 11|host: x|--|flags=CLOSE,BODYLESS,END");
        req("proxy-connection dropped", GET + "proxy-connection: close\r\n\r\n",
                "REQ GET / 11|host: x|--|flags=BODYLESS,END");
        req("upgrade", GET + "connection: keep-alive, Upgrade\r\nupgrade: websocket\r\n\r\n",
                "REQ GET / 11|host: x|upgrade: websocket|--|flags=BODYLESS,UPGRADE,END");
        req("connection upgrade without an upgrade header", GET + "connection: upgrade\r\n\r\n",
                "REQ GET / 11|host: x|--|flags=BODYLESS,END");
        req("expect 100-continue", POST + "Expect: 100-Continue\r\ncontent-length: 2\r\n\r\nhi",
                "REQ POST /p 11|host: x|expect: 100-Continue|--|body=hi|flags=CL:2,EXPECT,END");
        req("bytes after the message stay", GET + "\r\nGET /next",
                "REQ GET / 11|host: x|--|flags=BODYLESS,END|left=GET /next");

        // ---- Responses
        res("TE with CL", OK + "content-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n", "502");
        res("TE gzip", OK + "transfer-encoding: gzip\r\n\r\n", "502");
        res("TE gzip, chunked", OK + "transfer-encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "502");
        res("TE chunked, chunked", OK + "transfer-encoding: chunked, chunked\r\n\r\n0\r\n\r\n", "502");
        res("TE empty", OK + "transfer-encoding:\r\n\r\n", "502");
        res("TE in HTTP/1.0", "HTTP/1.0 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n", "502");
        res("CL 5,6", OK + "content-length: 5,6\r\n\r\nhello", "502");
        res("CL -1", OK + "content-length: -1\r\n\r\n", "502");
        res("CL 5 and 6 in two headers", OK + "content-length: 5\r\ncontent-length: 6\r\n\r\nhello", "502");
        res("HTTP/1.2", "HTTP/1.2 200 OK\r\n\r\n", "502");
        res("lower-case version", "http/1.1 200 OK\r\n\r\n", "502");
        res("two-digit status", "HTTP/1.1 20 OK\r\n\r\n", "502");
        res("four-digit status", "HTTP/1.1 2000 OK\r\n\r\n", "502");
        res("status 099", "HTTP/1.1 099 X\r\n\r\n", "502");
        res("status 600", "HTTP/1.1 600 X\r\n\r\n", "502");
        res("no space after the status", "HTTP/1.1 200OK\r\n\r\n", "502");
        res("two spaces after the version", "HTTP/1.1  200 OK\r\n\r\n", "502");
        res("control character in the reason", "HTTP/1.1 200 O\u0001K\r\n\r\n", "502");
        res("bare LF", "HTTP/1.1 200 OK\ncontent-length: 0\r\n\r\n", "502");
        res("101 to a request that did not ask", "HTTP/1.1 101 Switching Protocols\r\nupgrade: x\r\n\r\n", "502");
        res("chunk size 0x5", OK + "transfer-encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n", "502");
        res("obs-fold", OK + "x-a: a\r\n b\r\n\r\n", "502");
        res("space before the colon", OK + "x-a : b\r\n\r\n", "502");
        res("body cut by the close", OK + "content-length: 10\r\n\r\nhello", "502");
        res("closed before any byte", "", "502");
        res("chunked body cut by the close", OK + "transfer-encoding: chunked\r\n\r\n5\r\nhel", "502");
        ROWS.add(new Object[] {"response: 102 headers with maxHeaders 101", RESPONSE, OK + headers(102) + "\r\n",
            "502", 101});
        res("without length: until the close", OK + "x-a: b\r\n\r\nabc", "RES 200 OK 11|x-a: b|--|body=abc|flags=END");
        res("no reason", "HTTP/1.1 200\r\ncontent-length: 0\r\n\r\n", "RES 200  11|--|flags=CL:0,END");
        res("reason with tabs and obs-text", "HTTP/1.1 200 tout\tva bien \u00e9\r\ncontent-length: 0\r\n\r\n",
                "RES 200 tout\tva bien \u00e9 11|--|flags=CL:0,END");
        res("204 with a length", "HTTP/1.1 204 No Content\r\ncontent-length: 5\r\n\r\n",
                "RES 204 No Content 11|--|flags=BODYLESS,END");
        res("304 keeps its length", "HTTP/1.1 304 Not Modified\r\ncontent-length: 10\r\n\r\n",
                "RES 304 Not Modified 11|--|flags=CL:10,BODYLESS,END");
        res("100 Continue", "HTTP/1.1 100 Continue\r\n\r\n", "RES 100 Continue 11|--|flags=BODYLESS,END");
        res("HTTP/1.0", "HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\nhi", "RES 200 OK 10|--|body=hi|flags=CLOSE,CL:2,END");
        res("chunked with a trailer", OK + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nx-t: 1\r\n\r\n",
                "RES 200 OK 11|--|body=abc|T x-t: 1|==|flags=CHUNKED,END");
        ROWS.add(new Object[] {"response: to HEAD, keeps its length", RESPONSE_TO_HEAD,
            OK + "content-length: 10\r\n\r\n", "RES 200 OK 11|--|flags=CL:10,BODYLESS,END", 101});
        ROWS.add(new Object[] {"response: 101 to an upgrade", RESPONSE_TO_UPGRADE,
            "HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n",
            "RES 101 Switching Protocols 11|upgrade: websocket|--|flags=BODYLESS,UPGRADE,END", 101});
        return ROWS;
    }

    @Test
    public void allAtOnce() {
        assertEquals(name, expected, parse(false));
    }

    @Test
    public void byteByByte() {
        assertEquals(name, expected, parse(true));
    }

    private String parse(boolean byteByByte) {
        H1Parser parser = new H1Parser(kind != REQUEST);
        parser.expectResponse(kind == RESPONSE_TO_HEAD, kind == RESPONSE_TO_UPGRADE);
        HttpMessage message = new HttpMessage(maxHeaders);
        message.attach(ByteBuffer.allocate(BUFSIZE));
        ByteBuffer in = ByteBuffer.allocate(BUFSIZE).flip();
        byte[] data = raw.getBytes(StandardCharsets.ISO_8859_1);
        int fed = 0;
        StringBuilder description = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (;;) {
            if (fed < data.length) {
                in.compact();
                int n = Math.min(byteByByte ? 1 : data.length - fed, in.remaining());
                in.put(data, fed, n);
                fed += n;
                in.flip();
            }
            int result = parser.parse(in, message);
            if (result == H1Parser.NEED_INPUT && fed == data.length) {
                result = parser.endOfInput(in.hasRemaining(), message);
                if (result == H1Parser.NEED_INPUT) {
                    return "incomplete";
                }
            }
            description.append(Messages.describe(message, body));
            if (result == H1Parser.ERROR) {
                return Integer.toString(parser.errorStatus());
            }
            if (result == H1Parser.ENDED) {
                break;
            }
        }
        Messages.flushBody(description, body);
        description.append(Messages.flags(message));
        String left = Messages.text(in, in.position(), in.limit())
                + new String(data, fed, data.length - fed, StandardCharsets.ISO_8859_1);
        if (!left.isEmpty()) {
            description.append("|left=").append(left);
        }
        return description.toString();
    }
}
