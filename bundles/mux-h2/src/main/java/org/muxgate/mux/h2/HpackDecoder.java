package org.muxgate.mux.h2;

import java.nio.ByteBuffer;

import org.muxgate.api.http.AsciiSequence;

/**
 * HPACK decoding (RFC 7541) of whole header blocks, one connection's.
 *
 * <p>Each field is put together in the decoder's scratch buffer, name then value,
 * whatever its representation (indexed, literal, Huffman-coded), and handed to the
 * sink from there: nothing is allocated per field.
 *
 * <p>Limits: the block's fields may total {@code maxListSize} bytes as RFC 9113
 * counts them (name + value + 32 each) and {@code maxFields} fields. Beyond, the
 * block is still decoded to its end, so that the dynamic table stays in step with
 * the peer's, but nothing more reaches the sink, fields are no longer even copied,
 * and the block ends in an exception marked {@link HpackException#headerListTooLarge()}.
 * A small block referencing a large entry many times (an HPACK bomb) thus costs
 * little and yields a stream error, not memory.
 *
 * <p>Threads: the connection's.
 */
final class HpackDecoder {

    /** Receives each decoded field; the bytes are valid during the call only. */
    interface HeaderSink {
        void header(ByteBuffer bytes, int nameOffset, int nameLength, int valueOffset, int valueLength);

        /** Takes nothing: for blocks decoded only to keep the table in step. */
        HeaderSink DISCARD = (bytes, nameOffset, nameLength, valueOffset, valueLength) -> {
        };
    }

    private final HpackTable table;
    /** The limit our SETTINGS_HEADER_TABLE_SIZE sets: size updates may not exceed it. */
    private int settingsLimit;
    private final int maxListSize;
    private final int maxFields;
    private final ByteBuffer scratch;
    private final AsciiSequence name = new AsciiSequence();
    private final AsciiSequence value = new AsciiSequence();

    // The block being decoded.
    private ByteBuffer block;
    private int position;
    private int limit;

    HpackDecoder(int maxTableSize, int maxListSize, int maxFields) {
        this.table = new HpackTable(maxTableSize);
        this.settingsLimit = maxTableSize;
        this.maxListSize = maxListSize;
        this.maxFields = maxFields;
        this.scratch = ByteBuffer.allocate(maxListSize);
    }

    HpackTable table() {
        return table;
    }

    /**
     * Decodes the block between {@code block}'s position and limit, and moves the
     * position to the limit.
     *
     * @throws HpackException on any error of the block, or when it exceeds the limits
     */
    void decode(ByteBuffer in, HeaderSink sink) throws HpackException {
        block = in;
        position = in.position();
        limit = in.limit();
        in.position(limit);
        long listSize = 0;
        int fields = 0;
        boolean fieldSeen = false;
        int sizeUpdates = 0;
        while (position < limit) {
            int b = block.get(position) & 0xff;
            if ((b & 0xe0) == 0x20) {
                // A dynamic table size update, only before the first field, at most two (RFC 7541 4.2).
                if (fieldSeen || ++sizeUpdates > 2) {
                    throw new HpackException("misplaced dynamic table size update");
                }
                int size = readInteger(5);
                if (size > settingsLimit) {
                    throw new HpackException("table size update to " + size + " above " + settingsLimit);
                }
                table.setMaxSize(size);
                continue;
            }
            fieldSeen = true;
            boolean over = listSize > maxListSize || fields >= maxFields;
            scratch.clear();
            int nameLength;
            int valueLength;
            boolean held;
            if ((b & 0x80) != 0) {
                int at = readInteger(7);
                if (at == 0) {
                    throw new HpackException("index 0");
                }
                nameLength = entryNameLength(at);
                valueLength = entryValueLength(at);
                // An entry is never larger than the table, which is smaller than the scratch buffer.
                held = !over;
                if (held) {
                    copyEntry(at, true);
                    copyEntry(at, false);
                }
            } else {
                boolean index = (b & 0x40) != 0;
                int at = readInteger(index ? 6 : 4);
                // A field to index is held whatever the limits: the table must get it.
                boolean copy = !over || index;
                if (at == 0) {
                    nameLength = readString(copy);
                } else {
                    nameLength = entryNameLength(at);
                    if (copy) {
                        copyEntry(at, true);
                    }
                }
                valueLength = readString(copy && nameLength >= 0);
                held = copy && nameLength >= 0 && valueLength >= 0;
                if (index) {
                    if (held) {
                        table.add(name.set(scratch, 0, nameLength), value.set(scratch, nameLength, valueLength));
                    } else {
                        // Larger than the scratch buffer, so than the table: it empties the table (RFC 7541 4.4).
                        clearTable();
                    }
                }
            }
            fields++;
            if (held) {
                listSize += (long) nameLength + valueLength + HpackTable.ENTRY_OVERHEAD;
            } else if (!over) {
                // It did not fit the scratch buffer, whose size is the list's limit.
                listSize = maxListSize + 1L;
            }
            if (held && !over && listSize <= maxListSize && fields <= maxFields) {
                sink.header(scratch, 0, nameLength, nameLength, valueLength);
            }
        }
        if (listSize > maxListSize || fields > maxFields) {
            throw new HpackException("header list of " + fields + " fields and " + listSize + " bytes", true);
        }
    }

    /** Our SETTINGS_HEADER_TABLE_SIZE changed (acknowledged): the peer's updates may go up to it. */
    void setSettingsLimit(int limit) {
        settingsLimit = Math.min(limit, table.maxSize());
    }

    private void clearTable() {
        int max = table.maxSize();
        table.setMaxSize(0);
        table.setMaxSize(max);
    }

    /** RFC 7541 5.1, with an overflow check: values must fit in an int. */
    private int readInteger(int prefixBits) throws HpackException {
        int mask = (1 << prefixBits) - 1;
        int result = block.get(position++) & mask;
        if (result < mask) {
            return result;
        }
        long value = mask;
        for (int shift = 0;; shift += 7) {
            if (position >= limit) {
                throw new HpackException("truncated integer");
            }
            int b = block.get(position++) & 0xff;
            value += (long) (b & 0x7f) << shift;
            if (value > Integer.MAX_VALUE || shift > 28) {
                throw new HpackException("integer overflow");
            }
            if ((b & 0x80) == 0) {
                return (int) value;
            }
        }
    }

    /**
     * Reads a string literal (RFC 7541 5.2), into the scratch buffer if {@code copy}.
     *
     * @return its decoded length; -1 if it was not copied (not asked, or beyond the scratch buffer)
     */
    private int readString(boolean copy) throws HpackException {
        if (position >= limit) {
            throw new HpackException("truncated string");
        }
        boolean huffman = (block.get(position) & 0x80) != 0;
        int length = readInteger(7);
        if (length > limit - position) {
            throw new HpackException("string beyond the block");
        }
        int start = position;
        position += length;
        if (!copy) {
            return -1;
        }
        int before = scratch.position();
        if (huffman) {
            if (!Huffman.decode(block, start, length, scratch)) {
                scratch.position(before);
                return -1;
            }
        } else {
            if (length > scratch.remaining()) {
                return -1;
            }
            scratch.put(scratch.position(), block, start, length);
            scratch.position(before + length);
        }
        return scratch.position() - before;
    }

    private int entryNameLength(int index) throws HpackException {
        if (index <= HpackTable.STATIC.length) {
            return HpackTable.STATIC[index - 1][0].length();
        }
        return table.nameLength(dynamicIndex(index));
    }

    private int entryValueLength(int index) throws HpackException {
        if (index <= HpackTable.STATIC.length) {
            return HpackTable.STATIC[index - 1][1].length();
        }
        return table.valueLength(dynamicIndex(index));
    }

    private int dynamicIndex(int index) throws HpackException {
        int dynamic = index - HpackTable.STATIC.length - 1;
        if (dynamic >= table.count()) {
            throw new HpackException("index " + index + " beyond the tables");
        }
        return dynamic;
    }

    private void copyEntry(int index, boolean isName) throws HpackException {
        if (index <= HpackTable.STATIC.length) {
            String text = HpackTable.STATIC[index - 1][isName ? 0 : 1];
            for (int i = 0; i < text.length(); i++) {
                scratch.put((byte) text.charAt(i));
            }
        } else if (isName) {
            table.copyName(dynamicIndex(index), scratch);
        } else {
            table.copyValue(dynamicIndex(index), scratch);
        }
    }
}
