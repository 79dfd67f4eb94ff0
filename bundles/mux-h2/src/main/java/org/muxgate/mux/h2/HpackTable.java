package org.muxgate.mux.h2;

import java.nio.ByteBuffer;

/**
 * HPACK's index space (RFC 7541 2.3): the static table (1 to 61), then the dynamic
 * table, newest entry first. The dynamic entries are kept without an object each:
 * their names and values end to end in one circular byte array as large as the
 * table's limit (an entry's bytes are fewer than its size, which counts 32 more), and
 * their positions in a ring of ints. Eviction drops the oldest entries until the
 * new one fits (RFC 7541 4.4).
 *
 * <p>Threads: its codec's (one connection's).
 */
final class HpackTable {

    static final String[][] STATIC = {
        { ":authority", "" }, { ":method", "GET" }, { ":method", "POST" }, { ":path", "/" },
        { ":path", "/index.html" }, { ":scheme", "http" }, { ":scheme", "https" }, { ":status", "200" },
        { ":status", "204" }, { ":status", "206" }, { ":status", "304" }, { ":status", "400" },
        { ":status", "404" }, { ":status", "500" }, { "accept-charset", "" }, { "accept-encoding", "gzip, deflate" },
        { "accept-language", "" }, { "accept-ranges", "" }, { "accept", "" }, { "access-control-allow-origin", "" },
        { "age", "" }, { "allow", "" }, { "authorization", "" }, { "cache-control", "" },
        { "content-disposition", "" }, { "content-encoding", "" }, { "content-language", "" },
        { "content-length", "" }, { "content-location", "" }, { "content-range", "" }, { "content-type", "" },
        { "cookie", "" }, { "date", "" }, { "etag", "" }, { "expect", "" }, { "expires", "" }, { "from", "" },
        { "host", "" }, { "if-match", "" }, { "if-modified-since", "" }, { "if-none-match", "" },
        { "if-range", "" }, { "if-unmodified-since", "" }, { "last-modified", "" }, { "link", "" },
        { "location", "" }, { "max-forwards", "" }, { "proxy-authenticate", "" }, { "proxy-authorization", "" },
        { "range", "" }, { "referer", "" }, { "refresh", "" }, { "retry-after", "" }, { "server", "" },
        { "set-cookie", "" }, { "strict-transport-security", "" }, { "transfer-encoding", "" },
        { "user-agent", "" }, { "vary", "" }, { "via", "" }, { "www-authenticate", "" } };

    /** The overhead RFC 7541 4.1 counts for each entry. */
    static final int ENTRY_OVERHEAD = 32;

    private final byte[] bytes;
    /** Ring of entries, oldest at {@link #oldest}: start of the name in {@link #bytes}, name and value lengths. */
    private final int[] starts;
    private final int[] nameLengths;
    private final int[] valueLengths;
    /** The {@link #hash} of each entry's name, to skip most entries of a lookup without reading them. */
    private final int[] nameHashes;
    private int oldest;
    private int count;
    /** Where the next entry's bytes go. */
    private int writeAt;
    private int size;
    private int maxSize;

    /** @param capacity the largest limit the table may be given */
    HpackTable(int capacity) {
        this.bytes = new byte[Math.max(1, capacity)];
        int entries = capacity / ENTRY_OVERHEAD + 1;
        this.starts = new int[entries];
        this.nameLengths = new int[entries];
        this.valueLengths = new int[entries];
        this.nameHashes = new int[entries];
        this.maxSize = capacity;
    }

    int size() {
        return size;
    }

    int maxSize() {
        return maxSize;
    }

    /** @return the entries of the dynamic table */
    int count() {
        return count;
    }

    /** A new limit, at most the capacity; entries beyond it are evicted. */
    void setMaxSize(int limit) {
        maxSize = limit;
        evictUntil(0);
    }

    /**
     * Adds an entry as the newest; an entry larger than the limit empties the table
     * and is not added (RFC 7541 4.4). Characters are bytes (ISO-8859-1).
     */
    void add(CharSequence name, CharSequence value) {
        int entrySize = name.length() + value.length() + ENTRY_OVERHEAD;
        if (entrySize > maxSize) {
            evictUntil(maxSize + 1);
            return;
        }
        evictUntil(entrySize);
        int slot = (oldest + count) % starts.length;
        starts[slot] = writeAt;
        nameLengths[slot] = name.length();
        valueLengths[slot] = value.length();
        nameHashes[slot] = hash(name);
        put(name);
        put(value);
        count++;
        size += entrySize;
    }

    private void put(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            bytes[writeAt] = (byte) text.charAt(i);
            writeAt = writeAt + 1 == bytes.length ? 0 : writeAt + 1;
        }
    }

    /** Evicts the oldest entries until {@code needed} more bytes fit the limit. */
    private void evictUntil(int needed) {
        while (count > 0 && size + needed > maxSize) {
            size -= nameLengths[oldest] + valueLengths[oldest] + ENTRY_OVERHEAD;
            oldest = (oldest + 1) % starts.length;
            count--;
        }
        if (count == 0) {
            writeAt = 0;
        }
    }

    /** @return the ring slot of dynamic entry {@code index} (0 the newest) */
    private int slot(int index) {
        return (oldest + count - 1 - index) % starts.length;
    }

    int nameLength(int index) {
        return nameLengths[slot(index)];
    }

    int valueLength(int index) {
        return valueLengths[slot(index)];
    }

    /** Copies the name of dynamic entry {@code index} to {@code out}'s position, advancing it. */
    void copyName(int index, ByteBuffer out) {
        int slot = slot(index);
        copy(starts[slot], nameLengths[slot], out);
    }

    void copyValue(int index, ByteBuffer out) {
        int slot = slot(index);
        copy((starts[slot] + nameLengths[slot]) % bytes.length, valueLengths[slot], out);
    }

    private void copy(int from, int length, ByteBuffer out) {
        int first = Math.min(length, bytes.length - from);
        out.put(bytes, from, first);
        out.put(bytes, 0, length - first);
    }

    /** A name's hash for lookups: any function of its characters, the same for the encoder's callers. */
    static int hash(CharSequence name) {
        int h = name.length();
        for (int i = 0; i < name.length(); i++) {
            h = 31 * h + name.charAt(i);
        }
        return h ^ h >>> 16;
    }

    /**
     * @param nameHash {@link #hash} of {@code name}
     * @return whether dynamic entry {@code index} has this name (and this value, unless null)
     */
    boolean matches(int index, CharSequence name, int nameHash, CharSequence value) {
        int slot = slot(index);
        if (nameHashes[slot] != nameHash || nameLengths[slot] != name.length()
                || (value != null && valueLengths[slot] != value.length())) {
            return false;
        }
        int at = starts[slot];
        for (int i = 0; i < name.length(); i++, at = (at + 1) % bytes.length) {
            if (bytes[at] != (byte) name.charAt(i)) {
                return false;
            }
        }
        if (value == null) {
            return true;
        }
        for (int i = 0; i < value.length(); i++, at = (at + 1) % bytes.length) {
            if (bytes[at] != (byte) value.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
