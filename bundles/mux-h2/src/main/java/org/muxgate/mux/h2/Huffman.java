package org.muxgate.mux.h2;

import java.nio.ByteBuffer;

/**
 * The Huffman code of HPACK (RFC 7541 Appendix B). The code is canonical: codes of
 * one length are consecutive numbers in symbol order, each length continuing from
 * the previous one shifted left. So the table here is the lengths alone, and the
 * codes are rebuilt from them once; a test checks them against the RFC's examples.
 *
 * <p>Decoding walks a binary tree of the codes, kept in two arrays of child
 * indexes, one bit at a time. Stateless and immutable: any thread.
 */
final class Huffman {

    /** The code length of each byte value, then of EOS (256). */
    private static final int[] LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28,
        28, 28, 28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7,
        8, 15, 6, 12, 10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19,
        13, 14, 6, 15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13,
        28, 20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21,
        22, 23, 22, 23, 23, 24, 22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23,
        22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, 26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25,
        25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, 30 };

    static final int EOS = 256;

    /** The code of each symbol, in the low {@link #LENGTHS} bits. */
    private static final int[] CODES = new int[LENGTHS.length];
    /** Tree nodes: children for bit 0 and bit 1; a negative child is a leaf, -1 - symbol; 0 is no child. */
    private static final int[] ZERO;
    private static final int[] ONE;

    static {
        int[] order = new int[LENGTHS.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Sorts symbols by (length, symbol): an insertion sort, once.
        for (int i = 1; i < order.length; i++) {
            int symbol = order[i];
            int j = i - 1;
            while (j >= 0 && LENGTHS[order[j]] > LENGTHS[symbol]) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = symbol;
        }
        int code = 0;
        int length = LENGTHS[order[0]];
        for (int symbol : order) {
            code <<= LENGTHS[symbol] - length;
            length = LENGTHS[symbol];
            CODES[symbol] = code++;
        }
        ZERO = new int[LENGTHS.length];
        ONE = new int[LENGTHS.length];
        int nodes = 1;
        for (int symbol = 0; symbol < LENGTHS.length; symbol++) {
            int node = 0;
            for (int bit = LENGTHS[symbol] - 1; bit >= 0; bit--) {
                int[] children = (CODES[symbol] >>> bit & 1) == 0 ? ZERO : ONE;
                if (bit == 0) {
                    children[node] = -1 - symbol;
                } else {
                    if (children[node] == 0) {
                        children[node] = nodes++;
                    }
                    node = children[node];
                }
            }
        }
    }

    private Huffman() {
    }

    /** @return the bytes the Huffman form of {@code text} takes */
    static int encodedLength(CharSequence text) {
        long bits = 0;
        for (int i = 0; i < text.length(); i++) {
            bits += LENGTHS[text.charAt(i) & 0xff];
        }
        return (int) ((bits + 7) >>> 3);
    }

    /** Writes the Huffman form of {@code text}, padded with the high bits of EOS (ones). */
    static void encode(CharSequence text, ByteBuffer out) {
        long pending = 0;
        int pendingBits = 0;
        for (int i = 0; i < text.length(); i++) {
            int symbol = text.charAt(i) & 0xff;
            pending = pending << LENGTHS[symbol] | CODES[symbol];
            pendingBits += LENGTHS[symbol];
            while (pendingBits >= 8) {
                pendingBits -= 8;
                out.put((byte) (pending >>> pendingBits));
            }
        }
        if (pendingBits > 0) {
            out.put((byte) (pending << (8 - pendingBits) | 0xff >>> pendingBits));
        }
    }

    /**
     * Decodes {@code length} bytes of {@code in} from {@code offset} into {@code out}
     * at its position (advanced).
     *
     * @return false if {@code out} has no room for all of it
     * @throws HpackException for EOS in the string, or padding longer than 7 bits or
     *                        not made of ones (RFC 7541 5.2)
     */
    static boolean decode(ByteBuffer in, int offset, int length, ByteBuffer out) throws HpackException {
        int node = 0;
        int depth = 0;
        boolean ones = true;
        for (int i = offset; i < offset + length; i++) {
            int b = in.get(i);
            for (int bit = 7; bit >= 0; bit--) {
                int one = b >>> bit & 1;
                int child = one == 0 ? ZERO[node] : ONE[node];
                ones &= one == 1;
                depth++;
                if (child < 0) {
                    int symbol = -1 - child;
                    if (symbol == EOS) {
                        throw new HpackException("EOS in a Huffman string");
                    }
                    if (!out.hasRemaining()) {
                        return false;
                    }
                    out.put((byte) symbol);
                    node = 0;
                    depth = 0;
                    ones = true;
                } else {
                    node = child;
                }
            }
        }
        if (depth > 7 || !ones) {
            throw new HpackException("invalid Huffman padding");
        }
        return true;
    }
}
