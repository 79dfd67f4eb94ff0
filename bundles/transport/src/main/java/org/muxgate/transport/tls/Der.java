package org.muxgate.transport.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The little DER that loading keys needs: walking the elements of a key or a name,
 * and encoding a PKCS#8 PrivateKeyInfo around a PKCS#1 or SEC1 key, which the JDK's
 * KeyFactory does not read. Only definite lengths, as DER requires. Stateless;
 * a {@link Reader} belongs to the thread using it.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    /** {@code [0]} EXPLICIT, constructed: SEC1's parameters. */
    static final int CONTEXT_0 = 0xA0;

    /** Thrown on bytes that are not the DER expected; the message says where. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    /** One element: its tag and where its value lies in the source bytes. */
    record Element(int tag, byte[] source, int start, int valueStart, int end) {

        /** The value's bytes. */
        byte[] value() {
            return Arrays.copyOfRange(source, valueStart, end);
        }

        /** The whole element, tag and length included. */
        byte[] encoded() {
            return Arrays.copyOfRange(source, start, end);
        }

        /** A reader over the elements inside this constructed one. */
        Reader contents() {
            return new Reader(source, valueStart, end);
        }
    }

    /** Reads consecutive elements between two offsets. One thread. */
    static final class Reader {
        private final byte[] source;
        private final int end;
        private int position;

        Reader(byte[] source) {
            this(source, 0, source.length);
        }

        private Reader(byte[] source, int start, int end) {
            this.source = source;
            this.position = start;
            this.end = end;
        }

        boolean hasNext() {
            return position < end;
        }

        /** The next element, which must have {@code expectedTag}. */
        Element next(int expectedTag) throws MalformedException {
            Element element = next();
            if (element.tag() != expectedTag) {
                throw new MalformedException(String.format(
                        "expected tag 0x%02x at offset %d, found 0x%02x", expectedTag, element.start(), element.tag()));
            }
            return element;
        }

        Element next() throws MalformedException {
            int start = position;
            if (end - position < 2) {
                throw new MalformedException("truncated element at offset " + start);
            }
            int tag = source[position++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new MalformedException("multi-byte tag at offset " + start);
            }
            int length = source[position++] & 0xFF;
            if (length > 0x7F) {
                int lengthBytes = length & 0x7F;
                if (lengthBytes == 0 || lengthBytes > 3 || end - position < lengthBytes) {
                    throw new MalformedException("bad length at offset " + start);
                }
                length = 0;
                for (int i = 0; i < lengthBytes; i++) {
                    length = (length << 8) | (source[position++] & 0xFF);
                }
            }
            if (length > end - position) {
                throw new MalformedException("element at offset " + start + " overruns its container");
            }
            int valueStart = position;
            position += length;
            return new Element(tag, source, start, valueStart, position);
        }
    }

    /** Encodes one element from its already encoded parts, with the shortest length form. */
    static byte[] encode(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int lengthBytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
            out.write(0x80 | lengthBytes);
            for (int shift = 8 * (lengthBytes - 1); shift >= 0; shift -= 8) {
                out.write(length >>> shift);
            }
        }
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private Der() {
    }
}
