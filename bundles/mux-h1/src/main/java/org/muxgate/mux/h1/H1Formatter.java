package org.muxgate.mux.h1;

import java.nio.ByteBuffer;

import org.muxgate.api.http.AsciiSequence;
import org.muxgate.api.http.HttpMessage;

/**
 * Writes {@link HttpMessage}s as HTTP/1.1 bytes into an output buffer, taking
 * their blocks from the head as it writes them: requests to a server, or responses
 * to a client. One formatter per connection, reused from message to message; it
 * allocates nothing.
 *
 * <p>Framing: the message's flags, not its headers, say how its body is delimited,
 * and the formatter writes what the wire needs after the other headers:
 * {@code content-length} when the length is known (or {@code 0} when the message
 * ends with its headers); else {@code transfer-encoding: chunked} if a body may
 * follow and the peer speaks HTTP/1.1; else, for a response only, a body
 * delimited by the close of the connection. A request with a body of unknown
 * length is always sent chunked. Trailers go after the last chunk; without
 * chunks they are dropped.
 *
 * <p>Connection management: to a client, {@code connection: close} when the
 * connection closes after the response (the response or the request asked it, a
 * 1.0 client did not ask keep-alive, or the body is delimited by the close),
 * {@code connection: keep-alive} to a 1.0 client kept alive; to a server,
 * {@code connection: upgrade} or {@code connection: close} as the request's flags
 * say. After a {@code 101} answering an upgrade, data blocks are written raw.
 *
 * <p>Interim responses (1xx other than 101) are written whole and the formatter
 * then expects the final response of the same request.
 *
 * <p>Not thread-safe: used by its mux, on the connection's thread.
 */
final class H1Formatter {

    private static final int S_START = 0;
    private static final int S_HEADERS = 1;
    private static final int S_BODY = 2;
    private static final int S_DONE = 3;
    private static final int S_TUNNEL = 4;

    /**
     * The most bytes the framing headers after the others take: a 19-digit
     * {@code content-length} line (37), {@code connection: keep-alive} (24) and the blank line.
     */
    private static final int FRAMING_ROOM = 37 + 24 + 2;
    /** A chunk's size line and its CRLF: 15 hex digits at most. */
    private static final int CHUNK_OVERHEAD = 15 + 4;

    private final boolean response;
    private final AsciiSequence view = new AsciiSequence();
    private int state = S_START;
    private boolean chunked;
    /** The {@code 0} chunk was written: only trailers and the final CRLF remain. */
    private boolean lastChunk;
    private int status;
    private boolean closes;

    // The request: the one answered (responses) or the one being written (requests).
    private int requestVersion = HttpMessage.HTTP_1_1;
    private int requestFlags;
    private boolean headRequest;

    /** @param response whether the formatter writes responses (else requests) */
    H1Formatter(boolean response) {
        this.response = response;
    }

    /** Tells a response formatter which request it answers: its version, flags and whether it is HEAD. */
    void answer(int version, int flags, boolean head) {
        requestVersion = version;
        requestFlags = flags;
        headRequest = head;
    }

    /** The connection closes after the response to the request being answered: it says so if it has not started. */
    void closeAfterResponse() {
        requestFlags |= HttpMessage.F_CLOSE;
    }

    /** Gets ready for the next message on the connection. */
    void next() {
        state = S_START;
        chunked = false;
        lastChunk = false;
        closes = false;
    }

    /** From now on data blocks are written raw, without end. */
    void startTunnel() {
        state = S_TUNNEL;
    }

    /** @return whether a whole message (a final response, for responses) was written */
    boolean isDone() {
        return state == S_DONE;
    }

    /** @return whether data is tunnelled */
    boolean isTunnel() {
        return state == S_TUNNEL;
    }

    /** @return whether the connection must close after the message written */
    boolean closesConnection() {
        return closes;
    }

    /** @return whether the request written was {@code HEAD} (its response has no body) */
    boolean isHeadRequest() {
        return headRequest;
    }

    /** @return whether the request written asked to upgrade */
    boolean isUpgradeRequest() {
        return (requestFlags & HttpMessage.F_UPGRADE) != 0;
    }

    /**
     * Writes what fits of {@code from} into {@code out} (in write mode), removing
     * the blocks written from {@code from}.
     *
     * @return the bytes written
     */
    int format(HttpMessage from, ByteBuffer out) {
        int start = out.position();
        for (int p = from.first(); p >= 0 && state != S_DONE; p = from.first()) {
            int type = from.type(p);
            if (state == S_TUNNEL && type != HttpMessage.DATA) {
                from.removeFirst();
                continue;
            }
            boolean written;
            switch (type) {
                case HttpMessage.REQUEST_LINE:
                    written = requestLine(from, p, out);
                    break;
                case HttpMessage.STATUS_LINE:
                    written = statusLine(from, p, out);
                    break;
                case HttpMessage.HEADER:
                    written = field(from, p, out);
                    break;
                case HttpMessage.END_OF_HEADERS:
                    written = endOfHeaders(from, p, out);
                    break;
                case HttpMessage.DATA:
                    if (!data(from, p, out)) {
                        return out.position() - start;
                    }
                    continue;
                case HttpMessage.TRAILER:
                    written = !chunked || (lastChunk(out) && field(from, p, out));
                    break;
                default:
                    // END_OF_TRAILERS: the end of the message follows.
                    written = true;
                    break;
            }
            if (!written) {
                return out.position() - start;
            }
            from.removeFirst();
        }
        if (state == S_BODY && from.isEmpty() && from.isEnded()) {
            finish(out);
        }
        return out.position() - start;
    }

    private boolean requestLine(HttpMessage from, int p, ByteBuffer out) {
        headRequest = from.method(p, view).contentEquals("HEAD", false);
        int methodLength = view.length();
        requestFlags = from.flags();
        boolean normalized = from.has(HttpMessage.F_NORMALIZED_TARGET);
        AsciiSequence target = normalized ? from.path(p, view, true) : from.target(p, view);
        int targetLength = Math.max(1, target.length());
        if (out.remaining() < methodLength + targetLength + 12) {
            return false;
        }
        from.method(p, view).copyTo(out);
        out.put((byte) ' ');
        target = normalized ? from.path(p, view, true) : from.target(p, view);
        if (target.length() == 0) {
            // An HTTP/2 request for the root may come without a path.
            out.put((byte) '/');
        } else {
            target.copyTo(out);
        }
        put(out, " HTTP/1.1\r\n");
        state = S_HEADERS;
        return true;
    }

    private boolean statusLine(HttpMessage from, int p, ByteBuffer out) {
        AsciiSequence reason = from.reason(p, view);
        if (out.remaining() < reason.length() + 15) {
            return false;
        }
        status = from.status(p);
        put(out, "HTTP/1.1 ");
        putDecimal(out, status);
        out.put((byte) ' ');
        reason.copyTo(out);
        crlf(out);
        state = S_HEADERS;
        return true;
    }

    /** Writes a header or a trailer line. */
    private boolean field(HttpMessage from, int p, ByteBuffer out) {
        int nameLength = from.name(p, view).length();
        if (out.remaining() < nameLength + from.value(p, view).length() + 4) {
            return false;
        }
        from.name(p, view).copyTo(out);
        out.put((byte) ':').put((byte) ' ');
        from.value(p, view).copyTo(out);
        crlf(out);
        return true;
    }

    /** Writes the framing and connection headers the wire needs, and the blank line. */
    private boolean endOfHeaders(HttpMessage from, int p, ByteBuffer out) {
        if (out.remaining() < FRAMING_ROOM) {
            return false;
        }
        // The message ends with its headers: an empty body has a known length, 0.
        boolean endsNow = from.isEnded() && from.next(p) < 0;
        boolean bodyless = from.has(HttpMessage.F_BODYLESS);
        if (response) {
            responseFraming(from, out, endsNow, bodyless);
        } else {
            if (from.has(HttpMessage.F_CONTENT_LENGTH)) {
                contentLength(out, from.contentLength());
            } else if (!bodyless && !endsNow) {
                chunked(out);
            }
            if (from.has(HttpMessage.F_UPGRADE)) {
                put(out, "connection: upgrade\r\n");
            } else if (from.has(HttpMessage.F_CLOSE)) {
                put(out, "connection: close\r\n");
                closes = true;
            }
        }
        crlf(out);
        if (state == S_HEADERS) {
            state = S_BODY;
        }
        return true;
    }

    private void responseFraming(HttpMessage from, ByteBuffer out, boolean endsNow, boolean bodyless) {
        if (status < 200) {
            if (status == 101 && (requestFlags & HttpMessage.F_UPGRADE) != 0) {
                put(out, "connection: upgrade\r\n");
                state = S_TUNNEL;
            } else {
                // An interim response: the final one follows, for the same request.
                state = S_START;
            }
            return;
        }
        boolean http10 = requestVersion == HttpMessage.HTTP_1_0;
        closes = from.has(HttpMessage.F_CLOSE) || (requestFlags & HttpMessage.F_CLOSE) != 0
                || (http10 && (requestFlags & HttpMessage.F_KEEP_ALIVE) == 0);
        boolean noBody = bodyless || headRequest || status == 204 || status == 304;
        if (from.has(HttpMessage.F_CONTENT_LENGTH) && status != 204) {
            contentLength(out, from.contentLength());
        } else if (!noBody) {
            if (endsNow) {
                contentLength(out, 0);
            } else if (!http10) {
                chunked(out);
            } else {
                // A 1.0 client reads a body of unknown length until the close.
                closes = true;
            }
        }
        if (closes) {
            put(out, "connection: close\r\n");
        } else if (http10) {
            put(out, "connection: keep-alive\r\n");
        }
    }

    private void contentLength(ByteBuffer out, long length) {
        put(out, "content-length: ");
        putDecimal(out, length);
        crlf(out);
    }

    private void chunked(ByteBuffer out) {
        put(out, "transfer-encoding: chunked\r\n");
        chunked = true;
    }

    /** Writes what fits of the data block at {@code p}. @return false when {@code out} is full */
    private boolean data(HttpMessage from, int p, ByteBuffer out) {
        int length = from.length(p);
        int room = out.remaining() - (chunked ? CHUNK_OVERHEAD : 0);
        int n = Math.min(length, room);
        if (n <= 0) {
            return false;
        }
        if (chunked) {
            putHex(out, n);
            crlf(out);
        }
        AsciiSequence data = from.data(p, view);
        data.slice(0, n, data).copyTo(out);
        if (chunked) {
            crlf(out);
        }
        from.consumeData(n);
        return true;
    }

    /** Writes the {@code 0} chunk once, before trailers. @return false when {@code out} is full */
    private boolean lastChunk(ByteBuffer out) {
        if (!lastChunk) {
            if (out.remaining() < 3) {
                return false;
            }
            put(out, "0\r\n");
            lastChunk = true;
        }
        return true;
    }

    /** Ends the message once all its blocks are written: the last chunk and the final CRLF if chunked. */
    private void finish(ByteBuffer out) {
        if (chunked) {
            if (out.remaining() < 5) {
                return;
            }
            lastChunk(out);
            crlf(out);
        }
        state = S_DONE;
    }

    private static void crlf(ByteBuffer out) {
        out.put((byte) '\r').put((byte) '\n');
    }

    private static void put(ByteBuffer out, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            out.put((byte) ascii.charAt(i));
        }
    }

    private static void putDecimal(ByteBuffer out, long value) {
        long divisor = 1;
        while (divisor <= value / 10) {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10) {
            out.put((byte) ('0' + value / divisor % 10));
        }
    }

    private static void putHex(ByteBuffer out, int value) {
        int shift = (31 - Integer.numberOfLeadingZeros(value | 1)) & ~3;
        for (; shift >= 0; shift -= 4) {
            out.put((byte) Character.forDigit(value >>> shift & 0xf, 16));
        }
    }
}
