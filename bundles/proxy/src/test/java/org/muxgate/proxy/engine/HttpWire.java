package org.muxgate.proxy.engine;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A strict HTTP/1.1 reader for the tests' own clients and backends: it reads one
 * message from a stream, its head and its body in the framing its headers give,
 * and keeps the exact bytes it consumed. Lines must end with CRLF; anything else,
 * or a stream ending before the message does, is an {@link IOException}.
 */
final class HttpWire {

    /** The framing headers a proxy rewrites: left out when comparing forwarded headers. */
    static final List<String> FRAMING = List.of("content-length", "transfer-encoding", "connection", "keep-alive",
            "proxy-connection");

    /** One message as read from the wire. */
    static final class Message {
        String startLine;
        /** Name as sent and value (trimmed), in order. */
        final List<String[]> headers = new ArrayList<>();
        final List<String[]> trailers = new ArrayList<>();
        byte[] body = new byte[0];
        /** "length", "chunked", "close" or "none". */
        String framing;
        /** Every byte of the message as read. */
        byte[] raw;

        int status() {
            return Integer.parseInt(startLine.substring(9, 12));
        }

        String target() {
            String[] parts = startLine.split(" ");
            return parts.length > 1 ? parts[1] : "";
        }

        String method() {
            return startLine.split(" ")[0];
        }

        /** @return the first value of {@code name} (case ignored), or null */
        String header(String name) {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    return header[1];
                }
            }
            return null;
        }

        List<String> all(String name) {
            List<String> values = new ArrayList<>();
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    values.add(header[1]);
                }
            }
            return values;
        }

        /** The headers other than framing ones, as "name: value" with the name in lower case. */
        List<String> endToEndHeaders() {
            List<String> list = new ArrayList<>();
            for (String[] header : headers) {
                String name = header[0].toLowerCase(Locale.ROOT);
                if (!FRAMING.contains(name)) {
                    list.add(name + ": " + header[1]);
                }
            }
            return list;
        }

        String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        String rawText() {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return rawText();
        }
    }

    private HttpWire() {
    }

    /** An input stream that records what was read through it. */
    static final class Recording extends InputStream {
        private final InputStream in;
        private ByteArrayOutputStream record = new ByteArrayOutputStream();

        Recording(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                record.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                record.write(b, off, n);
            }
            return n;
        }

        /** @return what was read since the last call */
        byte[] take() {
            byte[] taken = record.toByteArray();
            record = new ByteArrayOutputStream();
            return taken;
        }
    }

    /**
     * Reads a request ({@code response} false) or a response.
     *
     * @param headRequest for a response: whether it answers a HEAD request (no body)
     * @return null if the stream ended before the first byte
     */
    static Message read(InputStream source, boolean response, boolean headRequest) throws IOException {
        Recording in = new Recording(source);
        Message message = new Message();
        String line = line(in, true);
        if (line == null) {
            return null;
        }
        message.startLine = line;
        if (response && !line.matches("HTTP/1\\.[01] [1-5][0-9][0-9]( .*)?")) {
            throw new ProtocolException("bad status line: " + line);
        }
        readFields(in, message.headers);
        long length = -1;
        boolean chunked = false;
        String te = message.header("transfer-encoding");
        if (te != null) {
            chunked = te.trim().toLowerCase(Locale.ROOT).endsWith("chunked");
            if (message.header("content-length") != null) {
                throw new ProtocolException("both content-length and transfer-encoding: " + message.headers);
            }
        } else if (message.header("content-length") != null) {
            for (String value : message.all("content-length")) {
                long parsed = Long.parseLong(value);
                if (length >= 0 && parsed != length) {
                    throw new ProtocolException("two content-lengths");
                }
                length = parsed;
            }
        }
        int status = response ? message.status() : 0;
        if (response && (headRequest || status < 200 || status == 204 || status == 304)) {
            message.framing = "none";
        } else if (chunked) {
            message.framing = "chunked";
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (;;) {
                String size = line(in, false);
                int semicolon = size.indexOf(';');
                long n = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
                if (n == 0) {
                    break;
                }
                body.write(exactly(in, (int) n));
                if (!line(in, false).isEmpty()) {
                    throw new ProtocolException("chunk data not followed by CRLF");
                }
            }
            readFields(in, message.trailers);
            message.body = body.toByteArray();
        } else if (length >= 0) {
            message.framing = "length";
            message.body = exactly(in, (int) length);
        } else if (response) {
            message.framing = "close";
            message.body = in.readAllBytes();
        } else {
            message.framing = "none";
        }
        message.raw = in.take();
        return message;
    }

    private static void readFields(InputStream in, List<String[]> into) throws IOException {
        for (;;) {
            String line = line(in, false);
            if (line.isEmpty()) {
                return;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t'
                    || line.substring(0, colon).matches(".*[ \\t].*")) {
                throw new ProtocolException("bad header line: " + line);
            }
            into.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
        }
    }

    private static byte[] exactly(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new EOFException("body ended after " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }

    /** A line without its CRLF; null if the stream ends before its first byte and {@code eofAllowed}. */
    private static String line(InputStream in, boolean eofAllowed) throws IOException {
        StringBuilder line = new StringBuilder();
        for (;;) {
            int b = in.read();
            if (b < 0) {
                if (eofAllowed && line.length() == 0) {
                    return null;
                }
                throw new EOFException("the stream ended in a line: " + line);
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new ProtocolException("bare CR in: " + line);
                }
                return line.toString();
            }
            if (b == '\n') {
                throw new ProtocolException("bare LF in: " + line);
            }
            line.append((char) b);
        }
    }
}
