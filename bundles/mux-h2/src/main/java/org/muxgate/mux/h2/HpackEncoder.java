package org.muxgate.mux.h2;

import java.nio.ByteBuffer;

/**
 * HPACK encoding (RFC 7541) of the header blocks one connection sends.
 *
 * <p>Choices, as a proxy that forwards many similar responses wants them: a field
 * found whole in the static or dynamic table is one index; else it is a literal
 * with incremental indexing, naming an indexed name when there is one, so that the
 * next response with the same field is an index, except for values that must not
 * be remembered (authorization, short cookies, or fields the caller says are
 * sensitive: never indexed, RFC 7541 7.1.3) and values so large they would evict
 * most of the table (not indexed). A string is Huffman-coded when that is shorter.
 *
 * <p>A table size the peer lowers (its SETTINGS_HEADER_TABLE_SIZE) is announced at
 * the start of the next block, the smallest value first if it changed twice (RFC
 * 7541 4.2). Lookups scan the tables, which hold a few dozen entries: nothing is
 * allocated. Threads: the connection's.
 */
final class HpackEncoder {

    private final HpackTable table;
    /** The smallest limit since the last block, or -1 if none changed; and the last one. */
    private int lowestPending = -1;
    private int lastPending;
    private final Digits status = new Digits();

    HpackEncoder(int maxTableSize) {
        this.table = new HpackTable(maxTableSize);
    }

    HpackTable table() {
        return table;
    }

    /** The peer's limit for our table, at most the capacity: takes effect at the next block. */
    void setMaxTableSize(int limit) {
        int size = Math.min(limit, H2.HEADER_TABLE_SIZE);
        lowestPending = lowestPending < 0 ? size : Math.min(lowestPending, size);
        lastPending = size;
    }

    /** Starts a header block: the table size updates owed come first. */
    void beginBlock(ByteBuffer out) {
        if (lowestPending < 0) {
            return;
        }
        if (lowestPending < lastPending) {
            writeInteger(out, 0x20, 5, lowestPending);
        }
        writeInteger(out, 0x20, 5, lastPending);
        table.setMaxSize(lastPending);
        lowestPending = -1;
    }

    /** Encodes {@code :status}. */
    void encodeStatus(int code, ByteBuffer out) {
        encodeHeader(":status", status.of(code), false, out);
    }

    /**
     * Encodes one field; names are in lower case, characters are bytes.
     *
     * @param sensitive whether the value must never be indexed, here or by intermediaries
     */
    void encodeHeader(CharSequence name, CharSequence value, boolean sensitive, ByteBuffer out) {
        int nameIndex = 0;
        int hash = HpackTable.hash(name);
        int first = staticName(name, hash);
        if (first >= 0) {
            nameIndex = first + 1;
            // Entries of one name are consecutive in the static table.
            for (int i = first; i < HpackTable.STATIC.length && HpackTable.STATIC[i][0] == HpackTable.STATIC[first][0];
                    i++) {
                if (contentEquals(HpackTable.STATIC[i][1], value)) {
                    writeInteger(out, 0x80, 7, i + 1);
                    return;
                }
            }
        }
        for (int i = 0; i < table.count(); i++) {
            if (table.matches(i, name, hash, null)) {
                int index = HpackTable.STATIC.length + 1 + i;
                if (table.matches(i, name, hash, value)) {
                    writeInteger(out, 0x80, 7, index);
                    return;
                }
                if (nameIndex == 0) {
                    nameIndex = index;
                }
            }
        }
        int entrySize = name.length() + value.length() + HpackTable.ENTRY_OVERHEAD;
        if (sensitive || neverIndexed(name, value)) {
            writeInteger(out, 0x10, 4, nameIndex);
        } else if (entrySize > table.maxSize() / 2) {
            writeInteger(out, 0x00, 4, nameIndex);
        } else {
            writeInteger(out, 0x40, 6, nameIndex);
            table.add(name, value);
        }
        if (nameIndex == 0) {
            writeString(out, name);
        }
        writeString(out, value);
    }

    /** Static names by hash: the first index of each name, chained by {@link #STATIC_NEXT}; -1 ends a chain. */
    private static final int[] STATIC_BUCKETS = new int[128];
    private static final int[] STATIC_NEXT = new int[HpackTable.STATIC.length];

    static {
        java.util.Arrays.fill(STATIC_BUCKETS, -1);
        for (int i = HpackTable.STATIC.length - 1; i >= 0; i--) {
            String name = HpackTable.STATIC[i][0];
            if (i > 0 && HpackTable.STATIC[i - 1][0].equals(name)) {
                continue;
            }
            int bucket = HpackTable.hash(name) & (STATIC_BUCKETS.length - 1);
            STATIC_NEXT[i] = STATIC_BUCKETS[bucket];
            STATIC_BUCKETS[bucket] = i;
        }
    }

    /** @return the index (from 0) of the first static entry of this name, or -1 */
    private static int staticName(CharSequence name, int hash) {
        for (int i = STATIC_BUCKETS[hash & (STATIC_BUCKETS.length - 1)]; i >= 0; i = STATIC_NEXT[i]) {
            if (contentEquals(HpackTable.STATIC[i][0], name)) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 7541 7.1.3: credentials, and cookies short enough to be guessed from the compressed size. */
    private static boolean neverIndexed(CharSequence name, CharSequence value) {
        return contentEquals("authorization", name) || contentEquals("proxy-authorization", name)
                || (contentEquals("cookie", name) && value.length() < 20);
    }

    private static boolean contentEquals(String a, CharSequence b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** RFC 7541 5.1. */
    static void writeInteger(ByteBuffer out, int pattern, int prefixBits, int value) {
        int mask = (1 << prefixBits) - 1;
        if (value < mask) {
            out.put((byte) (pattern | value));
            return;
        }
        out.put((byte) (pattern | mask));
        value -= mask;
        while (value >= 0x80) {
            out.put((byte) (value & 0x7f | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }

    /** RFC 7541 5.2: Huffman when shorter. */
    private static void writeString(ByteBuffer out, CharSequence text) {
        int huffman = Huffman.encodedLength(text);
        if (huffman < text.length()) {
            writeInteger(out, 0x80, 7, huffman);
            Huffman.encode(text, out);
        } else {
            writeInteger(out, 0x00, 7, text.length());
            for (int i = 0; i < text.length(); i++) {
                out.put((byte) text.charAt(i));
            }
        }
    }

    /** A status code as three characters, reused. */
    private static final class Digits implements CharSequence {
        private final char[] digits = new char[3];

        Digits of(int code) {
            digits[0] = (char) ('0' + code / 100 % 10);
            digits[1] = (char) ('0' + code / 10 % 10);
            digits[2] = (char) ('0' + code % 10);
            return this;
        }

        @Override
        public int length() {
            return 3;
        }

        @Override
        public char charAt(int index) {
            return digits[index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(digits, start, end - start);
        }

        @Override
        public String toString() {
            return new String(digits);
        }
    }
}
