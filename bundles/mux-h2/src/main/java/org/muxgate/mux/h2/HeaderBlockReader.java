package org.muxgate.mux.h2;

import java.nio.ByteBuffer;

import org.muxgate.api.http.AsciiSequence;
import org.muxgate.api.http.HttpMessage;

/**
 * Turns the decoded fields of a request's or a response's header block, or of its
 * trailers, into the internal message, checking them as RFC 9113 8.2 and 8.3 require: lower-case names
 * of token characters; no connection-specific field; {@code te} only as
 * {@code trailers}; no NUL, CR or LF in a value, nor whitespace at its ends; the
 * pseudo-headers {@code :method}, {@code :scheme} and {@code :path} exactly once
 * (and {@code :authority} at most once) before every regular field, and no other;
 * for a response {@code :status} alone, of three digits; agreeing
 * {@code content-length} values. Anything else makes the request
 * malformed: a stream error of type PROTOCOL_ERROR.
 *
 * <p>The request line gets the target in absolute form ({@code scheme://authority/path},
 * {@link HttpMessage#F_NORMALIZED_TARGET}) when an authority came, so that an
 * HTTP/1 server gets the path and a {@code host} field made from the authority if
 * the request had none. Cookie fields, which HTTP/2 may split, are joined into one
 * with "; " (RFC 9113 8.2.3). CONNECT (which has no path) is not supported, and
 * refused as malformed.
 *
 * <p>One per connection, reused for every block; the pseudo-headers and cookies
 * are copied into its own scratch buffer, so reading allocates nothing. Threads:
 * the connection's.
 */
final class HeaderBlockReader implements HpackDecoder.HeaderSink {

    /** What {@link #finish} reports. */
    static final int OK = 0;
    static final int MALFORMED = 1;
    /** The message has no room for the head, or more fields than {@code tune.http.maxhdr}. */
    static final int TOO_LARGE = 2;

    private static final byte[] SCHEME_SEPARATOR = { ':', '/', '/' };

    private final ByteBuffer scratch;
    private final AsciiSequence method = new AsciiSequence();
    private final AsciiSequence target = new AsciiSequence();
    private final AsciiSequence name = new AsciiSequence();
    private final AsciiSequence value = new AsciiSequence();

    private HttpMessage into;
    private boolean trailers;
    /** The block is a response's head: {@code :status} instead of the request's pseudo-headers. */
    private boolean response;
    /** The response may announce a length without a body (to a HEAD, or a 304). */
    private boolean lengthWithoutBody;
    private int status;
    private int result;
    private boolean lineAdded;
    private boolean regularSeen;
    private boolean hostSeen;
    private long contentLength;
    /** Offsets and lengths in {@link #scratch} of :method, :scheme, :path, :authority; length -1 when absent. */
    private final int[] pseudoOffsets = new int[4];
    private final int[] pseudoLengths = new int[4];
    private int cookieOffset;
    private int cookieLength;

    /** @param scratchSize the most bytes of pseudo-headers and cookies a block may have (tune.bufsize) */
    HeaderBlockReader(int scratchSize) {
        this.scratch = ByteBuffer.allocate(scratchSize);
    }

    /**
     * Starts reading a block into {@code message}.
     *
     * @param trailers whether the block is a request's trailers
     */
    void start(HttpMessage message, boolean trailers) {
        this.into = message;
        this.trailers = trailers;
        this.response = false;
        result = OK;
        lineAdded = false;
        regularSeen = false;
        hostSeen = false;
        contentLength = -1;
        scratch.clear();
        java.util.Arrays.fill(pseudoLengths, -1);
        cookieLength = -1;
    }

    /**
     * Starts reading a response's head into {@code message}.
     *
     * @param toHead whether the request was a HEAD: a content-length then comes without body
     */
    void startResponse(HttpMessage message, boolean toHead) {
        start(message, false);
        response = true;
        lengthWithoutBody = toHead;
        status = -1;
    }

    /** @return the status of the response head read, once {@link #finish} said OK */
    int status() {
        return status;
    }

    @Override
    public void header(ByteBuffer bytes, int nameOffset, int nameLength, int valueOffset, int valueLength) {
        if (result != OK) {
            return;
        }
        if (nameLength == 0 || !validValue(bytes, valueOffset, valueLength)) {
            result = MALFORMED;
            return;
        }
        if (bytes.get(nameOffset) == ':') {
            pseudo(bytes, nameOffset, nameLength, valueOffset, valueLength);
            return;
        }
        if (!validName(bytes, nameOffset, nameLength)) {
            result = MALFORMED;
            return;
        }
        regularSeen = true;
        name.set(bytes, nameOffset, nameLength);
        value.set(bytes, valueOffset, valueLength);
        if (isConnectionSpecific(name) || (name.contentEquals("te", false) && !value.contentEquals("trailers",
                false))) {
            result = MALFORMED;
            return;
        }
        if (trailers) {
            add(HttpMessage.TRAILER);
            return;
        }
        if (!lineAdded && !addStartLine()) {
            return;
        }
        if (name.contentEquals("content-length", false)) {
            long length = value.length() == 0 ? -1 : value.parseDecimal();
            if (length < 0 || (contentLength >= 0 && contentLength != length)) {
                result = MALFORMED;
                return;
            }
            contentLength = length;
            // The message carries the length itself, as the h1 parser leaves it: the formatters write it.
            return;
        } else if (response) {
            // A response's fields pass as they are.
        } else if (name.contentEquals("cookie", false)) {
            appendCookie(bytes, valueOffset, valueLength);
            return;
        } else if (name.contentEquals("host", false)) {
            hostSeen = true;
        } else if (name.contentEquals("expect", false) && value.contentEquals("100-continue", true)) {
            into.setFlags(HttpMessage.F_EXPECT_CONTINUE);
        }
        add(HttpMessage.HEADER);
    }

    /**
     * Ends the block: the head's last fields and markers, the end of the message when
     * the block ended the stream.
     *
     * @param endStream whether the frame carried END_STREAM
     * @return {@link #OK}, {@link #MALFORMED} or {@link #TOO_LARGE}
     */
    int finish(boolean endStream) {
        if (result != OK) {
            return result;
        }
        if (trailers) {
            if (!into.addMarker(HttpMessage.END_OF_TRAILERS)) {
                return TOO_LARGE;
            }
            into.end();
            return OK;
        }
        if (!lineAdded && !addStartLine()) {
            return result;
        }
        if (response) {
            return finishResponse(endStream);
        }
        if (cookieLength >= 0
                && !into.addField(HttpMessage.HEADER, "cookie", value.set(scratch, cookieOffset, cookieLength))) {
            return TOO_LARGE;
        }
        int authority = pseudoLengths[3];
        if (!hostSeen && authority > 0
                && !into.addField(HttpMessage.HEADER, "host", value.set(scratch, pseudoOffsets[3], authority))) {
            return TOO_LARGE;
        }
        if (contentLength >= 0) {
            into.setContentLength(contentLength);
        }
        if (endStream && contentLength > 0) {
            return MALFORMED;
        }
        if (!into.addMarker(HttpMessage.END_OF_HEADERS)) {
            return TOO_LARGE;
        }
        if (endStream) {
            into.setFlags(HttpMessage.F_BODYLESS);
            into.end();
        }
        return OK;
    }

    private int finishResponse(boolean endStream) {
        if (contentLength >= 0 && status != 204) {
            into.setContentLength(contentLength);
        }
        if (endStream && contentLength > 0 && !lengthWithoutBody && status != 304) {
            return MALFORMED;
        }
        if (!into.addMarker(HttpMessage.END_OF_HEADERS)) {
            return TOO_LARGE;
        }
        if (endStream || status < 200) {
            into.setFlags(HttpMessage.F_BODYLESS);
            into.end();
        }
        return OK;
    }

    /** @return the message's content-length, or -1 */
    long contentLength() {
        return contentLength;
    }

    private void pseudo(ByteBuffer bytes, int nameOffset, int nameLength, int valueOffset, int valueLength) {
        name.set(bytes, nameOffset, nameLength);
        if (response) {
            if (trailers || regularSeen || status >= 0 || !name.contentEquals(":status", false)) {
                result = MALFORMED;
                return;
            }
            status = 0;
            for (int i = valueOffset; i < valueOffset + valueLength; i++) {
                int c = bytes.get(i);
                status = c >= '0' && c <= '9' ? status * 10 + c - '0' : -1000;
            }
            if (valueLength != 3 || status < 100) {
                result = MALFORMED;
            }
            return;
        }
        int index = name.contentEquals(":method", false) ? 0
                : name.contentEquals(":scheme", false) ? 1
                : name.contentEquals(":path", false) ? 2
                : name.contentEquals(":authority", false) ? 3 : -1;
        if (trailers || regularSeen || index < 0 || pseudoLengths[index] >= 0 || scratch.remaining() < valueLength) {
            result = MALFORMED;
            return;
        }
        pseudoOffsets[index] = scratch.position();
        pseudoLengths[index] = valueLength;
        scratch.put(scratch.position(), bytes, valueOffset, valueLength);
        scratch.position(scratch.position() + valueLength);
    }

    private boolean addStartLine() {
        if (!response) {
            return addRequestLine();
        }
        lineAdded = true;
        if (status < 0) {
            result = MALFORMED;
            return false;
        }
        if (!into.addStatusLine(HttpMessage.HTTP_2, status, "")) {
            result = TOO_LARGE;
            return false;
        }
        return true;
    }

    /** Adds the request line from the pseudo-headers; false, with {@link #result} set, if they are missing or do not fit. */
    private boolean addRequestLine() {
        lineAdded = true;
        int methodLength = pseudoLengths[0];
        int schemeLength = pseudoLengths[1];
        int pathLength = pseudoLengths[2];
        int authorityLength = pseudoLengths[3];
        if (methodLength <= 0 || schemeLength <= 0 || pathLength <= 0) {
            result = MALFORMED;
            return false;
        }
        method.set(scratch, pseudoOffsets[0], methodLength);
        if (method.contentEquals("CONNECT", false)) {
            result = MALFORMED;
            return false;
        }
        int targetOffset = scratch.position();
        if (authorityLength > 0) {
            int needed = schemeLength + SCHEME_SEPARATOR.length + authorityLength + pathLength;
            if (scratch.remaining() < needed) {
                result = TOO_LARGE;
                return false;
            }
            copy(pseudoOffsets[1], schemeLength);
            scratch.put(SCHEME_SEPARATOR);
            copy(pseudoOffsets[3], authorityLength);
            into.setFlags(HttpMessage.F_NORMALIZED_TARGET);
        } else if (scratch.remaining() < pathLength) {
            result = TOO_LARGE;
            return false;
        }
        copy(pseudoOffsets[2], pathLength);
        target.set(scratch, targetOffset, scratch.position() - targetOffset);
        if (!into.addRequestLine(HttpMessage.HTTP_2, method, target)) {
            result = TOO_LARGE;
            return false;
        }
        return true;
    }

    private void copy(int offset, int length) {
        scratch.put(scratch.position(), scratch, offset, length);
        scratch.position(scratch.position() + length);
    }

    private void appendCookie(ByteBuffer bytes, int offset, int length) {
        int separator = cookieLength >= 0 ? 2 : 0;
        if (cookieLength < 0) {
            cookieOffset = scratch.position();
            cookieLength = 0;
        } else if (cookieOffset + cookieLength != scratch.position()) {
            // Another pseudo-header or target was copied after the cookies: cannot happen,
            // pseudo-headers come first and the target is made at the first regular field.
            result = MALFORMED;
            return;
        }
        if (scratch.remaining() < separator + length) {
            result = TOO_LARGE;
            return;
        }
        if (separator > 0) {
            scratch.put((byte) ';').put((byte) ' ');
        }
        scratch.put(scratch.position(), bytes, offset, length);
        scratch.position(scratch.position() + length);
        cookieLength += separator + length;
    }

    private void add(int type) {
        if (!into.addField(type, name, value)) {
            result = TOO_LARGE;
        }
    }

    /** RFC 9113 8.2.1: a token of lower-case characters. */
    private static boolean validName(ByteBuffer bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            int c = bytes.get(i) & 0xff;
            boolean token = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c < 128 && c > 32
                    && "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
            if (!token) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9113 8.2.1: no NUL, CR or LF, and no space or tab at either end. */
    private static boolean validValue(ByteBuffer bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            int c = bytes.get(i);
            if (c == 0 || c == '\r' || c == '\n') {
                return false;
            }
        }
        if (length == 0) {
            return true;
        }
        return !isSpace(bytes.get(offset)) && !isSpace(bytes.get(offset + length - 1));
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t';
    }

    /** RFC 9113 8.2.2: fields of HTTP/1 connection management, which HTTP/2 forbids. */
    static boolean isConnectionSpecific(AsciiSequence lowercaseName) {
        for (String field : CONNECTION_SPECIFIC) {
            if (lowercaseName.contentEquals(field, false)) {
                return true;
            }
        }
        return false;
    }

    private static final String[] CONNECTION_SPECIFIC = {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" };
}
