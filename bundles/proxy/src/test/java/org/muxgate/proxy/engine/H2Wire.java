package org.muxgate.proxy.engine;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * HTTP/2 as bytes, for the tests' frame-level peers: frames written and read as
 * given, header blocks of literal fields (no indexing, no Huffman) that need no
 * HPACK state.
 */
final class H2Wire {

    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(ISO_8859_1);

    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int PRIORITY = 2;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int WINDOW_UPDATE = 8;
    static final int CONTINUATION = 9;

    static final int END_STREAM = 1;
    static final int ACK = 1;
    static final int END_HEADERS = 4;

    /** {@code :status 200}, the static table's index 8. */
    static final int STATUS_200 = 0x88;

    private H2Wire() {
    }

    /** A frame as read. */
    record Frame(int type, int flags, int stream, byte[] payload) {
        int errorCode() {
            return ByteBuffer.wrap(payload, type == GOAWAY ? 4 : 0, 4).getInt();
        }
    }

    static byte[] frameBytes(int type, int flags, int stream, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(9 + payload.length);
        frame.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length)
                .put((byte) type).put((byte) flags).putInt(stream).put(payload);
        return frame.array();
    }

    /** @return the next frame, or null at the end of the connection */
    static Frame readFrame(DataInputStream in) throws IOException {
        byte[] header = new byte[9];
        try {
            in.readFully(header);
        } catch (java.io.EOFException | java.net.SocketException end) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(header);
        int length = (b.get() & 0xff) << 16 | (b.get() & 0xff) << 8 | (b.get() & 0xff);
        int type = b.get() & 0xff;
        int flags = b.get() & 0xff;
        int stream = b.getInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(type, flags, stream, payload);
    }

    /** A header block of a GET for {@code path} with literal fields and {@code extra} pairs. */
    static byte[] getBlock(String path, String... extra) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x82); // :method GET
        block.write(0x86); // :scheme http
        literal(block, ":path", path);
        literal(block, ":authority", "test");
        for (int i = 0; i < extra.length; i += 2) {
            literal(block, extra[i], extra[i + 1]);
        }
        return block.toByteArray();
    }

    /** A header block of literal fields, given as name and value pairs. */
    static byte[] literalBlock(String... fields) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i += 2) {
            literal(block, fields[i], fields[i + 1]);
        }
        return block.toByteArray();
    }

    /** A literal field without indexing, with a literal name. */
    static void literal(ByteArrayOutputStream block, String name, String value) {
        block.write(0x00);
        string(block, name);
        string(block, value);
    }

    static void string(ByteArrayOutputStream block, String text) {
        byte[] bytes = text.getBytes(ISO_8859_1);
        if (bytes.length < 127) {
            block.write(bytes.length);
        } else {
            block.write(127);
            int rest = bytes.length - 127;
            while (rest >= 128) {
                block.write(rest & 0x7f | 0x80);
                rest >>>= 7;
            }
            block.write(rest);
        }
        block.writeBytes(bytes);
    }
}
