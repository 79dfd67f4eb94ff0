package org.muxgate.api.http;

import java.nio.ByteBuffer;

/**
 * One HTTP message in Muxgate's internal form, the same whatever the version on
 * the wire (HAProxy's HTX): a start line, headers, an end of headers, data,
 * trailers, an end of trailers, and the end of the message as a flag. A mux
 * converts its wire format to and from it; the proxy's streams analyze, rewrite
 * and forward it.
 *
 * <p>Storage: blocks laid end to end in one pooled buffer, each a type byte, a
 * payload length (int) and the payload, with no object per block and no String per
 * header. A producer appends at the tail; a consumer removes from the head. A
 * message larger than the buffer flows through it: the consumer takes data blocks
 * as the producer adds them. The buffer is attached while the message holds blocks
 * and may be detached (and given back to its pool) when it is empty; the flags stay.
 *
 * <p>Positions: blocks are addressed by their position, an int, from
 * {@link #first()} and {@link #next(int)}. A position is valid until blocks are
 * added, inserted or removed from the head; {@link #remove(int)} keeps positions
 * (it leaves an unused block that readers skip).
 *
 * <p>Header names are stored in lower case. The framing of the wire (content
 * length, chunked, keep-alive or close) is carried by flags, not by headers: a
 * producer turns {@code Transfer-Encoding} and {@code Connection} into flags, and
 * the consumer's mux writes the framing its own wire needs.
 *
 * <p>Not thread-safe: a message belongs to the stream or mux that holds it, on
 * that connection's thread.
 */
public final class HttpMessage {

    /** A removed block, skipped by readers. */
    public static final int UNUSED = 0;
    /** Request line: version, method, target. */
    public static final int REQUEST_LINE = 1;
    /** Status line: version, status code, reason. */
    public static final int STATUS_LINE = 2;
    /** A header: name (lower case) and value. */
    public static final int HEADER = 3;
    /** The end of the headers. */
    public static final int END_OF_HEADERS = 4;
    /** Body bytes. */
    public static final int DATA = 5;
    /** A trailer: name (lower case) and value. */
    public static final int TRAILER = 6;
    /** The end of the trailers. */
    public static final int END_OF_TRAILERS = 7;

    /** Version 1.0 (as {@link #version()} gives it). */
    public static final int HTTP_1_0 = 10;
    /** Version 1.1. */
    public static final int HTTP_1_1 = 11;
    /** Version 2. */
    public static final int HTTP_2 = 20;

    /** The sender asked to close the connection after this message (or is HTTP/1.0 without keep-alive). */
    public static final int F_CLOSE = 1;
    /** The message carries a valid content length ({@link #contentLength()}). */
    public static final int F_CONTENT_LENGTH = 1 << 1;
    /** The body came chunked (its length was not known in advance). */
    public static final int F_CHUNKED = 1 << 2;
    /** No body follows the headers: a request without a length, a response to HEAD, 1xx, 204 or 304. */
    public static final int F_BODYLESS = 1 << 3;
    /** A request asking for a protocol upgrade (Connection: upgrade and an Upgrade header). */
    public static final int F_UPGRADE = 1 << 4;
    /** A request with {@code Expect: 100-continue}. */
    public static final int F_EXPECT_CONTINUE = 1 << 5;
    /** The sender was an HTTP/1.0 peer that asked for keep-alive. */
    public static final int F_KEEP_ALIVE = 1 << 6;
    /** The target was built from HTTP/2 pseudo-headers, in absolute form: an HTTP/1 request uses its path. */
    public static final int F_NORMALIZED_TARGET = 1 << 7;
    /** The last block of the message was added: nothing follows what the message holds. */
    public static final int F_END = 1 << 8;

    /** Type byte and payload length. */
    private static final int BLOCK_HEADER = 5;

    private final int maxHeaders;
    private ByteBuffer buffer;
    /** The first block; {@code head == tail} when empty. */
    private int head;
    /** Where the next block goes. */
    private int tail;
    /** The last block added, or -1: a data block there grows instead of adding another. */
    private int last = -1;
    private int flags;
    private long contentLength = -1;
    private int version;
    private int headerCount;

    /**
     * @param maxHeaders the most headers (or trailers) the message may hold
     *                   ({@code tune.http.maxhdr}); producers check it
     */
    public HttpMessage(int maxHeaders) {
        this.maxHeaders = maxHeaders;
    }

    /** @return the most headers the message may hold */
    public int maxHeaders() {
        return maxHeaders;
    }

    /** Gives the message a cleared buffer to store its blocks in. It must have none. */
    public void attach(ByteBuffer buffer) {
        if (this.buffer != null) {
            throw new IllegalStateException("the message already has a buffer");
        }
        this.buffer = buffer;
        head = 0;
        tail = 0;
        last = -1;
    }

    /**
     * Takes the buffer back, for its pool. The message must be empty; its flags stay.
     *
     * @return the buffer, or null if it had none
     */
    public ByteBuffer detach() {
        if (head != tail) {
            throw new IllegalStateException("the message still holds blocks");
        }
        ByteBuffer detached = buffer;
        buffer = null;
        return detached;
    }

    /** @return whether a buffer is attached */
    public boolean hasBuffer() {
        return buffer != null;
    }

    /** Forgets the message: its blocks, flags, length and version, for the next message. The buffer stays. */
    public void reset() {
        head = 0;
        tail = 0;
        last = -1;
        flags = 0;
        contentLength = -1;
        version = 0;
        headerCount = 0;
    }

    /** @return whether the message holds no block */
    public boolean isEmpty() {
        return head == tail;
    }

    /** @return the bytes the blocks take, headers of blocks included */
    public int used() {
        return tail - head;
    }

    /** @return the largest payload a new block may have now (0 without a buffer) */
    public int room() {
        return buffer == null ? 0 : Math.max(0, buffer.capacity() - used() - BLOCK_HEADER);
    }

    /** @return the {@code F_*} flags */
    public int flags() {
        return flags;
    }

    /** @return whether every bit of {@code flag} is set */
    public boolean has(int flag) {
        return (flags & flag) == flag;
    }

    /** Sets {@code F_*} bits. */
    public void setFlags(int set) {
        flags |= set;
    }

    /** Clears {@code F_*} bits. */
    public void clearFlags(int clear) {
        flags &= ~clear;
    }

    /** @return whether the whole message was added ({@link #F_END}) */
    public boolean isEnded() {
        return (flags & F_END) != 0;
    }

    /** @return the body length announced, or -1 unless {@link #F_CONTENT_LENGTH} */
    public long contentLength() {
        return contentLength;
    }

    /** Announces the body length and sets {@link #F_CONTENT_LENGTH}. */
    public void setContentLength(long length) {
        contentLength = length;
        flags |= F_CONTENT_LENGTH;
    }

    /** @return the version of the start line: {@link #HTTP_1_0}, {@link #HTTP_1_1} or {@link #HTTP_2}; 0 before it */
    public int version() {
        return version;
    }

    /** @return the headers and trailers added, removed ones included */
    public int headerCount() {
        return headerCount;
    }

    // ---------------------------------------------------------------- adding

    /**
     * Adds the request line, copying the method and the target from {@code source}.
     *
     * @return false if there is no room
     */
    public boolean addRequestLine(int version, ByteBuffer source, int methodOffset, int methodLength,
            int targetOffset, int targetLength) {
        int at = startBlock(REQUEST_LINE, 3 + methodLength + targetLength);
        if (at < 0) {
            return false;
        }
        buffer.put(at, (byte) version);
        buffer.putShort(at + 1, (short) methodLength);
        buffer.put(at + 3, source, methodOffset, methodLength);
        buffer.put(at + 3 + methodLength, source, targetOffset, targetLength);
        this.version = version;
        return true;
    }

    /** Adds the request line from characters (generated requests, HTTP/2). @return false if there is no room */
    public boolean addRequestLine(int version, CharSequence method, CharSequence target) {
        int at = startBlock(REQUEST_LINE, 3 + method.length() + target.length());
        if (at < 0) {
            return false;
        }
        buffer.put(at, (byte) version);
        buffer.putShort(at + 1, (short) method.length());
        putAscii(at + 3, method, false);
        putAscii(at + 3 + method.length(), target, false);
        this.version = version;
        return true;
    }

    /**
     * Adds the status line, copying the reason from {@code source}.
     *
     * @return false if there is no room
     */
    public boolean addStatusLine(int version, int status, ByteBuffer source, int reasonOffset, int reasonLength) {
        int at = startBlock(STATUS_LINE, 3 + reasonLength);
        if (at < 0) {
            return false;
        }
        buffer.put(at, (byte) version);
        buffer.putShort(at + 1, (short) status);
        buffer.put(at + 3, source, reasonOffset, reasonLength);
        this.version = version;
        return true;
    }

    /** Adds the status line from characters. @return false if there is no room */
    public boolean addStatusLine(int version, int status, CharSequence reason) {
        int at = startBlock(STATUS_LINE, 3 + reason.length());
        if (at < 0) {
            return false;
        }
        buffer.put(at, (byte) version);
        buffer.putShort(at + 1, (short) status);
        putAscii(at + 3, reason, false);
        this.version = version;
        return true;
    }

    /**
     * Adds a header or a trailer, copying its name in lower case and its value from
     * {@code source}. The caller checks {@link #maxHeaders()}.
     *
     * @param type {@link #HEADER} or {@link #TRAILER}
     * @return false if there is no room
     */
    public boolean addField(int type, ByteBuffer source, int nameOffset, int nameLength, int valueOffset,
            int valueLength) {
        int at = startBlock(type, 2 + nameLength + valueLength);
        if (at < 0) {
            return false;
        }
        buffer.putShort(at, (short) nameLength);
        for (int i = 0; i < nameLength; i++) {
            buffer.put(at + 2 + i, (byte) AsciiSequence.toLower((char) (source.get(nameOffset + i) & 0xff)));
        }
        buffer.put(at + 2 + nameLength, source, valueOffset, valueLength);
        headerCount++;
        return true;
    }

    /** Adds a header or trailer from characters; the name is stored in lower case. @return false if there is no room */
    public boolean addField(int type, CharSequence name, CharSequence value) {
        int at = startBlock(type, 2 + name.length() + value.length());
        if (at < 0) {
            return false;
        }
        writeField(at, name, value);
        headerCount++;
        return true;
    }

    /** Adds a block without payload: {@link #END_OF_HEADERS} or {@link #END_OF_TRAILERS}. @return false if there is no room */
    public boolean addMarker(int type) {
        return startBlock(type, 0) >= 0;
    }

    /**
     * Adds body bytes from {@code source}, as many as fit, appending to the last
     * block if it is data.
     *
     * @return the bytes copied
     */
    public int addData(ByteBuffer source, int offset, int length) {
        if (last >= 0 && buffer.get(last) == DATA) {
            compactIfNeeded(0);
            int n = Math.min(length, buffer.capacity() - tail);
            buffer.put(tail, source, offset, n);
            buffer.putInt(last + 1, buffer.getInt(last + 1) + n);
            tail += n;
            return n;
        }
        int n = Math.min(length, room());
        if (n == 0) {
            return 0;
        }
        int at = startBlock(DATA, n);
        buffer.put(at, source, offset, n);
        return n;
    }

    /** Marks the end of the message: nothing will be added after the blocks present. */
    public void end() {
        flags |= F_END;
    }

    /** @return the payload position of a new block, or -1 without room */
    private int startBlock(int type, int payload) {
        if (buffer == null || payload > room()) {
            return -1;
        }
        compactIfNeeded(BLOCK_HEADER + payload);
        int at = tail;
        buffer.put(at, (byte) type);
        buffer.putInt(at + 1, payload);
        last = at;
        tail = at + BLOCK_HEADER + payload;
        return at + BLOCK_HEADER;
    }

    /** Moves the blocks to the start of the buffer if fewer than {@code needed} bytes are free after the tail. */
    private void compactIfNeeded(int needed) {
        if (head == 0 || buffer.capacity() - tail >= Math.max(needed, 1)) {
            return;
        }
        int shift = head;
        buffer.put(0, buffer, head, tail - head);
        tail -= shift;
        head = 0;
        if (last >= 0) {
            last -= shift;
        }
    }

    private void writeField(int at, CharSequence name, CharSequence value) {
        buffer.putShort(at, (short) name.length());
        putAscii(at + 2, name, true);
        putAscii(at + 2 + name.length(), value, false);
    }

    private void putAscii(int at, CharSequence text, boolean lowerCase) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            buffer.put(at + i, (byte) (lowerCase ? AsciiSequence.toLower(c) : c));
        }
    }

    // ---------------------------------------------------------------- reading

    /** @return the position of the first block in use, or -1 if there is none */
    public int first() {
        return skipUnused(head);
    }

    /** @return the position of the block in use after {@code position}, or -1 */
    public int next(int position) {
        return skipUnused(position + BLOCK_HEADER + buffer.getInt(position + 1));
    }

    private int skipUnused(int position) {
        while (position < tail) {
            if (buffer.get(position) != UNUSED) {
                return position;
            }
            position += BLOCK_HEADER + buffer.getInt(position + 1);
        }
        return -1;
    }

    /** @return the type of the block at {@code position} */
    public int type(int position) {
        return buffer.get(position);
    }

    /** @return the payload length of the block at {@code position}: for data, the bytes it holds */
    public int length(int position) {
        return buffer.getInt(position + 1);
    }

    /** @return the method of the request line at {@code position}, in {@code view} */
    public AsciiSequence method(int position, AsciiSequence view) {
        int at = position + BLOCK_HEADER;
        return view.set(buffer, at + 3, buffer.getShort(at + 1) & 0xffff);
    }

    /** @return the target of the request line at {@code position}, in {@code view} */
    public AsciiSequence target(int position, AsciiSequence view) {
        int at = position + BLOCK_HEADER;
        int methodLength = buffer.getShort(at + 1) & 0xffff;
        return view.set(buffer, at + 3 + methodLength, length(position) - 3 - methodLength);
    }

    /**
     * @return the path of the request line's target at {@code position}, without the
     *         query string, in {@code view}: {@code /a/b} for {@code /a/b?c} and for
     *         {@code http://host/a/b?c}; empty for {@code *} or an authority
     */
    public AsciiSequence path(int position, AsciiSequence view, boolean withQuery) {
        target(position, view);
        int start = pathStart(view);
        int end = view.length();
        if (!withQuery) {
            for (int i = start; i < end; i++) {
                if (view.charAt(i) == '?') {
                    end = i;
                    break;
                }
            }
        }
        int at = position + BLOCK_HEADER;
        int targetOffset = at + 3 + (buffer.getShort(at + 1) & 0xffff);
        return view.set(buffer, targetOffset + start, end - start);
    }

    /** @return the authority of an absolute-form target ({@code host:port}), empty for other forms, in {@code view} */
    public AsciiSequence authority(int position, AsciiSequence view) {
        target(position, view);
        int schemeEnd = schemeEnd(view);
        int at = position + BLOCK_HEADER;
        int targetOffset = at + 3 + (buffer.getShort(at + 1) & 0xffff);
        if (schemeEnd < 0) {
            return view.set(buffer, targetOffset, 0);
        }
        int start = schemeEnd + 3;
        int end = pathStart(view);
        return view.set(buffer, targetOffset + start, end - start);
    }

    /** Where the path begins in a target: after {@code scheme://authority} in absolute form. */
    private static int pathStart(AsciiSequence target) {
        int schemeEnd = schemeEnd(target);
        if (schemeEnd < 0) {
            return target.length() > 0 && target.charAt(0) == '/' ? 0 : target.length();
        }
        for (int i = schemeEnd + 3; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '/' || c == '?') {
                return i;
            }
        }
        return target.length();
    }

    /** @return the index of {@code ://} in an absolute-form target, or -1 */
    private static int schemeEnd(AsciiSequence target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == ':') {
                return i > 0 && target.regionMatches(i, "://", false) ? i : -1;
            }
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
                return -1;
            }
        }
        return -1;
    }

    /** @return the version byte of the start line at {@code position} */
    public int lineVersion(int position) {
        return buffer.get(position + BLOCK_HEADER);
    }

    /** @return the status code of the status line at {@code position} */
    public int status(int position) {
        return buffer.getShort(position + BLOCK_HEADER + 1) & 0xffff;
    }

    /** @return the reason of the status line at {@code position}, in {@code view} */
    public AsciiSequence reason(int position, AsciiSequence view) {
        return view.set(buffer, position + BLOCK_HEADER + 3, length(position) - 3);
    }

    /** @return the name (lower case) of the header or trailer at {@code position}, in {@code view} */
    public AsciiSequence name(int position, AsciiSequence view) {
        int at = position + BLOCK_HEADER;
        return view.set(buffer, at + 2, buffer.getShort(at) & 0xffff);
    }

    /** @return the value of the header or trailer at {@code position}, in {@code view} */
    public AsciiSequence value(int position, AsciiSequence view) {
        int at = position + BLOCK_HEADER;
        int nameLength = buffer.getShort(at) & 0xffff;
        return view.set(buffer, at + 2 + nameLength, length(position) - 2 - nameLength);
    }

    /** @return the bytes of the data block at {@code position}, in {@code view} */
    public AsciiSequence data(int position, AsciiSequence view) {
        return view.set(buffer, position + BLOCK_HEADER, length(position));
    }

    /**
     * @param lowerCaseName the name to find, in lower case
     * @param after         the position to search after, or -1 to search from the start
     * @return the position of the next header named so, or -1; stops at the end of the headers
     */
    public int findHeader(CharSequence lowerCaseName, int after, AsciiSequence view) {
        for (int p = after < 0 ? first() : next(after); p >= 0; p = next(p)) {
            int type = type(p);
            if (type == END_OF_HEADERS || type == DATA || type == TRAILER) {
                return -1;
            }
            if (type == HEADER && name(p, view).contentEquals(lowerCaseName, false)) {
                return p;
            }
        }
        return -1;
    }

    /** @return the position of the request or status line, or -1 if the message holds none */
    public int startLine() {
        int p = first();
        return p >= 0 && (type(p) == REQUEST_LINE || type(p) == STATUS_LINE) ? p : -1;
    }

    // ---------------------------------------------------------------- removing and editing

    /** Removes the first block in use (the consumer took it). */
    public void removeFirst() {
        int p = first();
        if (p < 0) {
            head = tail;
        } else {
            head = p + BLOCK_HEADER + length(p);
        }
        if (head == tail) {
            head = 0;
            tail = 0;
            last = -1;
        }
    }

    /**
     * Removes the first {@code n} bytes of the first block, which is data; all of
     * them removes the block.
     */
    public void consumeData(int n) {
        int p = first();
        int length = length(p);
        if (n >= length) {
            removeFirst();
            return;
        }
        // The block header moves forward over the consumed bytes.
        int at = p + n;
        buffer.put(at, (byte) DATA);
        buffer.putInt(at + 1, length - n);
        if (last == p) {
            last = at;
        }
        head = at;
    }

    /** Removes the block at {@code position} (a header being deleted), keeping positions valid. */
    public void remove(int position) {
        buffer.put(position, (byte) UNUSED);
    }

    /**
     * Inserts a header before the end of the headers (an analyzer adding one).
     *
     * @return false if the headers are not complete or there is no room
     */
    public boolean insertHeader(CharSequence name, CharSequence value) {
        int end = -1;
        for (int p = first(); p >= 0; p = next(p)) {
            if (type(p) == END_OF_HEADERS) {
                end = p;
                break;
            }
        }
        int size = BLOCK_HEADER + 2 + name.length() + value.length();
        if (end < 0 || size - BLOCK_HEADER > room()) {
            return false;
        }
        if (tail + size > buffer.capacity()) {
            int shift = head;
            buffer.put(0, buffer, head, tail - head);
            tail -= shift;
            end -= shift;
            last = last >= 0 ? last - shift : last;
            head = 0;
        }
        buffer.put(end + size, buffer, end, tail - end);
        buffer.put(end, (byte) HEADER);
        buffer.putInt(end + 1, size - BLOCK_HEADER);
        writeField(end + BLOCK_HEADER, name, value);
        tail += size;
        if (last >= end) {
            last += size;
        }
        headerCount++;
        return true;
    }

    /** Removes every header named {@code lowerCaseName}. @return how many were removed */
    public int removeHeaders(CharSequence lowerCaseName, AsciiSequence view) {
        int removed = 0;
        for (int p = findHeader(lowerCaseName, -1, view); p >= 0; p = findHeader(lowerCaseName, p, view)) {
            remove(p);
            removed++;
        }
        return removed;
    }

    /**
     * Makes this message a copy of {@code from}, which is left as it was: its
     * blocks, flags, version and length. This message's buffer must be at least as
     * large as what {@code from} uses; what it held is forgotten.
     *
     * @throws IllegalStateException if the blocks do not fit
     */
    public void copyFrom(HttpMessage from) {
        int n = from.used();
        if (buffer == null || buffer.capacity() < n) {
            throw new IllegalStateException("a copy needs a buffer of " + n + " bytes");
        }
        buffer.put(0, from.buffer, from.head, n);
        head = 0;
        tail = n;
        last = from.last < 0 ? -1 : from.last - from.head;
        flags = from.flags;
        contentLength = from.contentLength;
        version = from.version;
        headerCount = from.headerCount;
    }

    /**
     * Copies every block of {@code from} that fits into this message, removing it
     * there, with the flags, version and length ({@link #F_END} once the last block
     * has moved): this message's own flags are replaced. Data blocks may be split.
     *
     * @return the bytes of payload moved
     */
    public int moveFrom(HttpMessage from) {
        int moved = 0;
        for (int p = from.first(); p >= 0; p = from.first()) {
            int type = from.type(p);
            int length = from.length(p);
            int payload = p + BLOCK_HEADER;
            if (type == DATA) {
                int n = addData(from.buffer, payload, length);
                moved += n;
                if (n == 0) {
                    break;
                }
                from.consumeData(n);
                continue;
            }
            int at = startBlock(type, length);
            if (at < 0) {
                break;
            }
            buffer.put(at, from.buffer, payload, length);
            if (type == HEADER || type == TRAILER) {
                headerCount++;
            }
            moved += length;
            from.removeFirst();
        }
        // The end travels with the last block.
        flags = from.isEmpty() ? from.flags : from.flags & ~F_END;
        contentLength = from.contentLength;
        version = from.version;
        return moved;
    }
}
