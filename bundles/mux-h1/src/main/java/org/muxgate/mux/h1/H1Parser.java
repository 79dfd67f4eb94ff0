package org.muxgate.mux.h1;

import java.nio.ByteBuffer;

import org.muxgate.api.http.HttpMessage;

/**
 * Parses HTTP/1.0 and HTTP/1.1 messages, requests or responses, from the bytes of
 * an input buffer into an {@link HttpMessage}: the head (start line, headers,
 * end of headers) and then the body in its framing (content length, chunks and
 * trailers, or until the connection closes). One parser per connection and
 * direction, reused from message to message; it allocates nothing.
 *
 * <p>Input: the unread bytes are those between the buffer's position and its limit;
 * the parser advances the position over what it consumed. A head is parsed only
 * once it is complete, and only into an empty message, so that a failure never
 * leaves half a head behind.
 *
 * <p>Strictness (RFC 9112 and HAProxy; anything ambiguous is an error, because
 * two agents reading one message two ways is how requests are smuggled). Errors
 * give 400 for a request and 502 for a response, unless stated:
 * <ul>
 * <li>Line endings are exactly CRLF: a bare LF or a bare CR anywhere in a head, a
 *     chunk line or a trailer is an error (no lenient LF-only parsing).</li>
 * <li>{@code Transfer-Encoding} together with {@code Content-Length} is rejected,
 *     rather than HAProxy's "drop the length and close": such a message has no
 *     legitimate sender.</li>
 * <li>Transfer codings: the last must be {@code chunked} (case-insensitive), it
 *     may appear once, nothing may follow it, and the list may not be empty; a
 *     request with another coding before {@code chunked} gets 501 (we only
 *     decode chunked); a {@code Transfer-Encoding} in an HTTP/1.0 message is an
 *     error.</li>
 * <li>{@code Content-Length}: digits only, no sign, not empty, no overflow; equal
 *     duplicates (separate headers or a list) merge; different values are an
 *     error.</li>
 * <li>Chunk sizes: 1 to 15 hex digits, nothing before them, optional whitespace
 *     only before a {@code ;} extension (dropped); chunk data followed by exactly
 *     CRLF.</li>
 * <li>Headers: names are tokens, with nothing between the name and the colon; a
 *     line starting with whitespace (obs-fold) is an error; values may not carry
 *     control characters other than HTAB; whitespace around a value is
 *     trimmed.</li>
 * <li>Start line: a token method, single spaces, a target of visible ASCII, a
 *     version exactly {@code HTTP/1.0} or {@code HTTP/1.1}; a status of three
 *     digits from 100 to 599. Empty lines before a request line are skipped, as
 *     RFC 9112 section 2.2 allows.</li>
 * <li>An HTTP/1.1 request needs exactly one {@code Host}; no request may carry
 *     two. A head larger than the buffer, or more header lines than
 *     {@link HttpMessage#maxHeaders()}, is an error; a {@code 101} answering a
 *     request that did not ask to upgrade is an error.</li>
 * </ul>
 *
 * <p>The hop-by-hop framing headers ({@code Connection}, {@code Proxy-Connection},
 * {@code Keep-Alive}, {@code Transfer-Encoding}, {@code Content-Length}) are not
 * stored: they become flags and the content length.
 *
 * <p>Not thread-safe: used by its mux, on the connection's thread.
 */
final class H1Parser {

    /** Parse result: more bytes are needed. */
    static final int NEED_INPUT = 0;
    /** Parse result: the message has no room left; its consumer must take blocks first. */
    static final int NEED_ROOM = 1;
    /** Parse result: the message has ended (an interim response included). */
    static final int ENDED = 2;
    /** Parse result of {@link #parseHead}: the head is complete and the body (if any) follows. */
    static final int HEAD = 3;
    /** Parse result: the message is malformed; see {@link #errorStatus()}. */
    static final int ERROR = -1;
    /** Internal result of a step of the body: go on with the next one. */
    private static final int CONTINUE = 4;

    private static final int S_HEAD = 0;
    private static final int S_LENGTH = 1;
    private static final int S_CHUNK_SIZE = 2;
    private static final int S_CHUNK_DATA = 3;
    private static final int S_CHUNK_CRLF = 4;
    private static final int S_TRAILERS = 5;
    private static final int S_UNTIL_CLOSE = 6;
    private static final int S_DONE = 7;
    private static final int S_TUNNEL = 8;
    private static final int S_ERROR = 9;

    /** At most 15 hex digits: the size stays far from overflowing a long. */
    private static final int MAX_CHUNK_DIGITS = 15;

    // The comma-separated header values parsed element by element.
    private static final int LIST_CONTENT_LENGTH = 0;
    private static final int LIST_TRANSFER_ENCODING = 1;
    private static final int LIST_CONNECTION = 2;

    /** Bit per byte value: token characters (RFC 9110 tchar). */
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private final boolean response;
    private int state = S_HEAD;
    private int errorStatus;
    /** The bytes of the head, from the position, already seen to be complete lines. */
    private int scanned;
    private long remaining;
    /** The message asked to close the connection, or its body ends with it. */
    private boolean closes;

    // What the request of the response being parsed was.
    private boolean headRequest;
    private boolean upgradeRequest;

    // The framing headers of the head being parsed.
    private long contentLength;
    private boolean teSeen;
    private int teCodings;
    private boolean teLastChunked;
    private boolean teUnsupported;
    private boolean connClose;
    private boolean connKeepAlive;
    private boolean connUpgrade;
    private boolean upgradeHeader;
    private boolean expectContinue;
    private int hosts;
    /** An error found while parsing a list element: its status. */
    private int listError;

    /** @param response whether the parser reads responses (else requests) */
    H1Parser(boolean response) {
        this.response = response;
    }

    /**
     * Tells a response parser what the request was: a response to {@code HEAD} has
     * no body, and only a request asking to upgrade may be answered {@code 101}.
     */
    void expectResponse(boolean head, boolean upgrade) {
        headRequest = head;
        upgradeRequest = upgrade;
    }

    /** Gets ready for the next message on the connection (keep-alive). */
    void next() {
        state = S_HEAD;
        scanned = 0;
        closes = false;
    }

    /** From now on, every byte is tunnelled as data, without end (after a {@code 101}). */
    void startTunnel() {
        state = S_TUNNEL;
    }

    /** @return whether the message was parsed to its end and no other follows on its own */
    boolean isDone() {
        return state == S_DONE;
    }

    /** @return whether the bytes are tunnelled */
    boolean isTunnel() {
        return state == S_TUNNEL;
    }

    /** @return whether the parser waits for the head of a message (the next one, after a complete message) */
    boolean isWaitingHead() {
        return state == S_HEAD;
    }

    /** @return whether the last message lets the connection carry another one */
    boolean keepsConnection() {
        return !closes;
    }

    /** @return the status a malformed message calls for, 0 if none was */
    int errorStatus() {
        return errorStatus;
    }

    /**
     * Parses what {@code in} holds of the current message: its head (once complete),
     * then its body.
     *
     * @return {@link #ENDED}, {@link #NEED_INPUT}, {@link #NEED_ROOM} or {@link #ERROR}
     */
    int parse(ByteBuffer in, HttpMessage into) {
        if (state == S_HEAD) {
            int result = parseHead(in, into);
            if (result != HEAD) {
                return result;
            }
            if (into.isEnded()) {
                return ENDED;
            }
        }
        return parseBody(in, into);
    }

    /**
     * Parses the head of a message if {@code in} holds it whole, into {@code into},
     * which must be empty (else {@link #NEED_ROOM}).
     *
     * @return {@link #HEAD}, {@link #ENDED} for a message without body,
     *         {@link #NEED_INPUT}, {@link #NEED_ROOM} or {@link #ERROR}
     */
    int parseHead(ByteBuffer in, HttpMessage into) {
        int start = in.position();
        if (!response && scanned == 0) {
            // Empty lines before a request line are tolerated (a client's stray CRLF after a body).
            while (in.limit() - start >= 2 && in.get(start) == '\r' && in.get(start + 1) == '\n') {
                start += 2;
            }
            in.position(start);
        }
        int bad = response ? 502 : 400;
        int end = findHeadEnd(in, start);
        if (end == ERROR) {
            return fail(bad);
        }
        if (end < 0) {
            // A head as large as the buffer can never complete.
            return in.remaining() == in.capacity() ? fail(bad) : NEED_INPUT;
        }
        if (!into.isEmpty()) {
            return NEED_ROOM;
        }
        int status = parseHeadLines(in, start, end, into);
        scanned = 0;
        if (status != 0) {
            return fail(status);
        }
        in.position(end);
        return into.isEnded() ? ENDED : HEAD;
    }

    /** @return the end of the head (after its empty line), -2 before it is complete, or {@link #ERROR} */
    private int findHeadEnd(ByteBuffer in, int start) {
        for (;;) {
            int lineStart = start + scanned;
            int lineEnd = findLineEnd(in, lineStart);
            if (lineEnd < 0) {
                return lineEnd == ERROR ? ERROR : -2;
            }
            scanned = lineEnd + 2 - start;
            if (lineEnd == lineStart && lineStart > start) {
                return lineEnd + 2;
            }
        }
    }

    /**
     * Finds the CRLF ending the line that starts at {@code from}.
     *
     * @return the position of its CR; -2 if the line is not complete yet; {@link #ERROR}
     *         for a bare CR or a bare LF
     */
    private static int findLineEnd(ByteBuffer in, int from) {
        int limit = in.limit();
        for (int p = from; p < limit; p++) {
            byte b = in.get(p);
            if (b == '\r') {
                if (p + 1 == limit) {
                    return -2;
                }
                return in.get(p + 1) == '\n' ? p : ERROR;
            }
            if (b == '\n') {
                return ERROR;
            }
        }
        return -2;
    }

    /** @return 0 once the head is in {@code into}, else the error status */
    private int parseHeadLines(ByteBuffer in, int start, int end, HttpMessage into) {
        int bad = response ? 502 : 400;
        contentLength = -1;
        teSeen = false;
        teCodings = 0;
        teLastChunked = false;
        teUnsupported = false;
        connClose = false;
        connKeepAlive = false;
        connUpgrade = false;
        upgradeHeader = false;
        expectContinue = false;
        hosts = 0;
        listError = 0;

        int lineEnd = findLineEnd(in, start);
        int version;
        int status = 0;
        if (response) {
            version = version(in, start, Math.min(8, lineEnd - start));
            status = statusLine(in, start + 8, lineEnd, version, into);
            if (status < 0) {
                return bad;
            }
        } else {
            version = requestLine(in, start, lineEnd, into);
            if (version < 0) {
                return bad;
            }
        }

        int lines = 0;
        for (int p = lineEnd + 2; p < end - 2; p = lineEnd + 2) {
            lineEnd = findLineEnd(in, p);
            if (++lines > into.maxHeaders()) {
                return bad;
            }
            int result = field(in, p, lineEnd, HttpMessage.HEADER, into);
            if (result != 0) {
                return result > 0 ? result : bad;
            }
        }

        if (teSeen) {
            if (version == HttpMessage.HTTP_1_0 || contentLength >= 0 || !teLastChunked) {
                return bad;
            }
            if (teUnsupported) {
                return response ? 502 : 501;
            }
        }
        if (!response && (hosts > 1 || (hosts == 0 && version == HttpMessage.HTTP_1_1))) {
            return 400;
        }
        if (!into.addMarker(HttpMessage.END_OF_HEADERS)) {
            return bad;
        }
        return framing(version, status, into) ? 0 : bad;
    }

    /**
     * Sets the flags of the head just parsed and chooses how its body is read.
     *
     * @return false for a {@code 101} nobody asked for
     */
    private boolean framing(int version, int status, HttpMessage into) {
        boolean close = connClose || (version == HttpMessage.HTTP_1_0 && !connKeepAlive);
        int flags = 0;
        if (close) {
            flags |= HttpMessage.F_CLOSE;
        } else if (version == HttpMessage.HTTP_1_0) {
            flags |= HttpMessage.F_KEEP_ALIVE;
        }
        if (connUpgrade && upgradeHeader) {
            flags |= HttpMessage.F_UPGRADE;
        }
        if (expectContinue) {
            flags |= HttpMessage.F_EXPECT_CONTINUE;
        }
        into.setFlags(flags);
        closes = close;
        if (response && status < 200) {
            if (status == 101) {
                if (!upgradeRequest) {
                    return false;
                }
                state = S_TUNNEL;
            }
            // An interim response: the final one comes next, through the same parser.
            into.setFlags(HttpMessage.F_BODYLESS);
            into.end();
            return true;
        }
        boolean bodyless = response ? headRequest || status == 204 || status == 304
                : !teSeen && contentLength < 0;
        if (contentLength >= 0 && status != 204) {
            into.setContentLength(contentLength);
        }
        if (bodyless) {
            into.setFlags(HttpMessage.F_BODYLESS);
        } else if (teSeen) {
            into.setFlags(HttpMessage.F_CHUNKED);
            state = S_CHUNK_SIZE;
            return true;
        } else if (contentLength > 0) {
            remaining = contentLength;
            state = S_LENGTH;
            return true;
        } else if (contentLength < 0) {
            // A response without length ends when the server closes: that connection is done.
            closes = true;
            state = S_UNTIL_CLOSE;
            return true;
        }
        into.end();
        state = S_DONE;
        return true;
    }

    /** @return the version of the 8 bytes at {@code at}, or -1 unless exactly {@code HTTP/1.0} or {@code HTTP/1.1} */
    private static int version(ByteBuffer in, int at, int length) {
        if (length != 8 || !matches(in, at, "HTTP/1.", false)) {
            return -1;
        }
        byte minor = in.get(at + 7);
        return minor == '1' ? HttpMessage.HTTP_1_1 : minor == '0' ? HttpMessage.HTTP_1_0 : -1;
    }

    /** Parses {@code method SP target SP version}. @return the version, or -1 */
    private static int requestLine(ByteBuffer in, int start, int lineEnd, HttpMessage into) {
        int p = start;
        while (p < lineEnd && TCHAR[in.get(p) & 0xff]) {
            p++;
        }
        int methodLength = p - start;
        if (methodLength == 0 || p == lineEnd || in.get(p) != ' ') {
            return -1;
        }
        int target = ++p;
        while (p < lineEnd && in.get(p) > ' ' && in.get(p) < 0x7f) {
            p++;
        }
        int targetLength = p - target;
        if (targetLength == 0 || p == lineEnd || in.get(p) != ' ') {
            return -1;
        }
        int version = version(in, p + 1, lineEnd - p - 1);
        if (version < 0 || !into.addRequestLine(version, in, start, methodLength, target, targetLength)) {
            return -1;
        }
        return version;
    }

    /** Parses {@code SP status [SP reason]} after the version. @return the status, or -1 */
    private static int statusLine(ByteBuffer in, int p, int lineEnd, int version, HttpMessage into) {
        if (version < 0 || lineEnd - p < 4 || in.get(p) != ' ') {
            return -1;
        }
        int status = 0;
        for (int i = 1; i <= 3; i++) {
            int digit = in.get(p + i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            status = status * 10 + digit;
        }
        p += 4;
        if (status < 100 || status > 599 || (p < lineEnd && in.get(p) != ' ')) {
            return -1;
        }
        int reason = Math.min(p + 1, lineEnd);
        for (int i = reason; i < lineEnd; i++) {
            if (isControl(in.get(i))) {
                return -1;
            }
        }
        return into.addStatusLine(version, status, in, reason, lineEnd - reason) ? status : -1;
    }

    /**
     * Parses the field line {@code [p, lineEnd)}: a header (framing headers become
     * state, others blocks) or a trailer.
     *
     * @return 0 when done, an error status, or -1 when {@code into} has no room for it
     */
    private int field(ByteBuffer in, int p, int lineEnd, int type, HttpMessage into) {
        int bad = response ? 502 : 400;
        int name = p;
        while (p < lineEnd && TCHAR[in.get(p) & 0xff]) {
            p++;
        }
        // Catches obs-fold (a line starting with whitespace) and whitespace before the colon.
        int nameLength = p - name;
        if (nameLength == 0 || p == lineEnd || in.get(p) != ':') {
            return bad;
        }
        int value = skipSpaces(in, p + 1, lineEnd);
        int valueEnd = lineEnd;
        while (valueEnd > value && isSpace(in.get(valueEnd - 1))) {
            valueEnd--;
        }
        for (int i = value; i < valueEnd; i++) {
            if (isControl(in.get(i))) {
                return bad;
            }
        }
        int valueLength = valueEnd - value;
        if (type == HttpMessage.HEADER) {
            if (is(in, name, nameLength, "content-length")) {
                return list(in, value, valueEnd, LIST_CONTENT_LENGTH);
            }
            if (is(in, name, nameLength, "transfer-encoding")) {
                teSeen = true;
                int codings = teCodings;
                int result = list(in, value, valueEnd, LIST_TRANSFER_ENCODING);
                // An empty or comma-only value names no coding at all.
                return result != 0 ? result : teCodings == codings ? bad : 0;
            }
            if (is(in, name, nameLength, "connection")) {
                return list(in, value, valueEnd, LIST_CONNECTION);
            }
            if (is(in, name, nameLength, "proxy-connection") || is(in, name, nameLength, "keep-alive")) {
                return 0;
            }
            if (is(in, name, nameLength, "host")) {
                hosts++;
            } else if (is(in, name, nameLength, "upgrade")) {
                upgradeHeader = true;
            } else if (!response && is(in, name, nameLength, "expect")) {
                expectContinue = valueLength == 12 && matches(in, value, "100-continue", true);
            }
        }
        return into.addField(type, in, name, nameLength, value, valueLength) ? 0 : -1;
    }

    /** Parses a comma-separated value element by element. @return 0, or the error status */
    private int list(ByteBuffer in, int from, int end, int kind) {
        int p = from;
        for (;;) {
            int comma = p;
            while (comma < end && in.get(comma) != ',') {
                comma++;
            }
            int elementEnd = comma;
            while (elementEnd > p && isSpace(in.get(elementEnd - 1))) {
                elementEnd--;
            }
            element(in, skipSpaces(in, p, elementEnd), elementEnd, kind);
            if (listError != 0) {
                return listError;
            }
            if (comma == end) {
                return 0;
            }
            p = comma + 1;
        }
    }

    /** Takes one list element {@code [from, end)} into the framing state, or sets {@link #listError}. */
    private void element(ByteBuffer in, int from, int end, int kind) {
        int bad = response ? 502 : 400;
        int length = end - from;
        switch (kind) {
            case LIST_CONTENT_LENGTH: {
                long value = decimal(in, from, end);
                if (value < 0 || (contentLength >= 0 && value != contentLength)) {
                    listError = bad;
                }
                contentLength = value;
                break;
            }
            case LIST_TRANSFER_ENCODING:
                if (length == 0) {
                    return;
                }
                teCodings++;
                if (teLastChunked) {
                    // chunked twice, or a coding after chunked: the length cannot be known.
                    listError = bad;
                } else if (length == 7 && matches(in, from, "chunked", true)) {
                    teLastChunked = true;
                } else {
                    teUnsupported = true;
                }
                break;
            default:
                if (length == 5 && matches(in, from, "close", true)) {
                    connClose = true;
                } else if (length == 10 && matches(in, from, "keep-alive", true)) {
                    connKeepAlive = true;
                } else if (length == 7 && matches(in, from, "upgrade", true)) {
                    connUpgrade = true;
                }
                break;
        }
    }

    /** @return the decimal value of {@code [from, end)}, or -1 if empty, not all digits, or too large */
    private static long decimal(ByteBuffer in, int from, int end) {
        if (from == end) {
            return -1;
        }
        long value = 0;
        for (int p = from; p < end; p++) {
            int digit = in.get(p) - '0';
            if (digit < 0 || digit > 9 || value > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * Parses the body of the current message from {@code in} into {@code into}.
     *
     * @return {@link #ENDED}, {@link #NEED_INPUT}, {@link #NEED_ROOM} or {@link #ERROR}
     */
    int parseBody(ByteBuffer in, HttpMessage into) {
        for (;;) {
            switch (state) {
                case S_LENGTH:
                case S_CHUNK_DATA: {
                    int result = moveData(in, into, remaining);
                    if (remaining > 0) {
                        return result;
                    }
                    if (state == S_CHUNK_DATA) {
                        state = S_CHUNK_CRLF;
                        break;
                    }
                    into.end();
                    state = S_DONE;
                    return ENDED;
                }
                case S_UNTIL_CLOSE:
                case S_TUNNEL:
                    return moveData(in, into, Long.MAX_VALUE);
                case S_CHUNK_SIZE: {
                    int result = chunkSize(in);
                    if (result != CONTINUE) {
                        return result;
                    }
                    break;
                }
                case S_CHUNK_CRLF: {
                    int p = in.position();
                    int available = in.limit() - p;
                    if (available > 0 && in.get(p) != '\r' || available > 1 && in.get(p + 1) != '\n') {
                        return fail(response ? 502 : 400);
                    }
                    if (available < 2) {
                        return NEED_INPUT;
                    }
                    in.position(p + 2);
                    state = S_CHUNK_SIZE;
                    break;
                }
                case S_TRAILERS: {
                    int result = trailer(in, into);
                    if (result != CONTINUE) {
                        return result;
                    }
                    break;
                }
                case S_DONE:
                    return ENDED;
                case S_ERROR:
                    return ERROR;
                default:
                    // S_HEAD: the next message's head is parsed by parseHead, when asked.
                    return NEED_INPUT;
            }
        }
    }

    /** Moves up to {@code max} body bytes. @return {@link #NEED_INPUT} or {@link #NEED_ROOM} */
    private int moveData(ByteBuffer in, HttpMessage into, long max) {
        int available = (int) Math.min(in.remaining(), max);
        if (available == 0) {
            return NEED_INPUT;
        }
        int moved = into.addData(in, in.position(), available);
        in.position(in.position() + moved);
        if (max != Long.MAX_VALUE) {
            remaining -= moved;
        }
        return moved < available ? NEED_ROOM : NEED_INPUT;
    }

    /** Parses a chunk-size line. @return {@link #CONTINUE} when parsed, else a parse result */
    private int chunkSize(ByteBuffer in) {
        int bad = response ? 502 : 400;
        int start = in.position();
        int lineEnd = findLineEnd(in, start);
        if (lineEnd == ERROR) {
            return fail(bad);
        }
        if (lineEnd < 0) {
            return in.remaining() == in.capacity() ? fail(bad) : NEED_INPUT;
        }
        long size = 0;
        int p = start;
        for (; p < lineEnd; p++) {
            int digit = Character.digit(in.get(p), 16);
            if (digit < 0) {
                break;
            }
            if (p - start == MAX_CHUNK_DIGITS) {
                return fail(bad);
            }
            size = size << 4 | digit;
        }
        if (p == start) {
            return fail(bad);
        }
        if (p < lineEnd) {
            // Only an extension may follow, possibly after whitespace; it is dropped.
            p = skipSpaces(in, p, lineEnd);
            if (p == lineEnd || in.get(p) != ';') {
                return fail(bad);
            }
            for (; p < lineEnd; p++) {
                if (isControl(in.get(p))) {
                    return fail(bad);
                }
            }
        }
        in.position(lineEnd + 2);
        remaining = size;
        state = size == 0 ? S_TRAILERS : S_CHUNK_DATA;
        return CONTINUE;
    }

    /** Parses one trailer line, or the empty line ending them. @return {@link #CONTINUE}, else a parse result */
    private int trailer(ByteBuffer in, HttpMessage into) {
        int bad = response ? 502 : 400;
        int start = in.position();
        int lineEnd = findLineEnd(in, start);
        if (lineEnd == ERROR) {
            return fail(bad);
        }
        if (lineEnd < 0) {
            return in.remaining() == in.capacity() ? fail(bad) : NEED_INPUT;
        }
        if (lineEnd == start) {
            if (!into.addMarker(HttpMessage.END_OF_TRAILERS)) {
                return NEED_ROOM;
            }
            in.position(lineEnd + 2);
            into.end();
            state = S_DONE;
            return ENDED;
        }
        if (into.headerCount() >= into.maxHeaders()) {
            return fail(bad);
        }
        int result = field(in, start, lineEnd, HttpMessage.TRAILER, into);
        if (result < 0) {
            return into.isEmpty() ? fail(bad) : NEED_ROOM;
        }
        if (result > 0) {
            return fail(result);
        }
        in.position(lineEnd + 2);
        return CONTINUE;
    }

    /**
     * The peer closed its side: ends a message delimited by the close.
     *
     * @param pending whether unparsed bytes are left in the input
     * @return {@link #ENDED} when that ended the message; {@link #NEED_INPUT} for a
     *         close between requests, or of a tunnel or after a complete message;
     *         {@link #ERROR} for a message cut short (a response not even begun
     *         included: the server owed one)
     */
    int endOfInput(boolean pending, HttpMessage into) {
        switch (state) {
            case S_UNTIL_CLOSE:
                into.end();
                state = S_DONE;
                return ENDED;
            case S_DONE:
            case S_TUNNEL:
                return NEED_INPUT;
            case S_HEAD:
                return response || pending || scanned > 0 ? fail(response ? 502 : 400) : NEED_INPUT;
            case S_ERROR:
                return ERROR;
            default:
                return fail(response ? 502 : 400);
        }
    }

    private int fail(int status) {
        errorStatus = status;
        state = S_ERROR;
        return ERROR;
    }

    private static int skipSpaces(ByteBuffer in, int p, int end) {
        while (p < end && isSpace(in.get(p))) {
            p++;
        }
        return p;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    /** @return whether {@code b} is a control character other than HTAB (NUL, CR, LF, DEL...) */
    private static boolean isControl(byte b) {
        return (b >= 0 && b < ' ' && b != '\t') || b == 0x7f;
    }

    /** @return whether the name {@code [at, at + length)} is {@code lowerCase}, case ignored */
    private static boolean is(ByteBuffer in, int at, int length, String lowerCase) {
        return length == lowerCase.length() && matches(in, at, lowerCase, true);
    }

    /** @return whether the bytes at {@code at} begin with {@code text} (in lower case if {@code ignoreCase}) */
    private static boolean matches(ByteBuffer in, int at, String text, boolean ignoreCase) {
        if (in.limit() - at < text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            int c = in.get(at + i);
            if (ignoreCase && c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
