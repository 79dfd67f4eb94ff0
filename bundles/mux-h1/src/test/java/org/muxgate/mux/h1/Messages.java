package org.muxgate.mux.h1;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.muxgate.api.http.AsciiSequence;
import org.muxgate.api.http.HttpMessage;

/** Test helpers: messages described as one line of text, buffers from text. */
final class Messages {

    private Messages() {
    }

    static ByteBuffer bytes(String latin1) {
        return ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String text(ByteBuffer buffer, int from, int to) {
        byte[] bytes = new byte[to - from];
        buffer.get(from, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /**
     * Describes and empties {@code message}: its blocks joined by {@code |}
     * ({@code REQ method target version}, {@code RES status reason version},
     * {@code name: value}, {@code --} for the end of headers, {@code body=...} for
     * data, {@code T name: value} for trailers, {@code ==} for the end of trailers),
     * then its flags.
     */
    static String describe(HttpMessage message, StringBuilder body) {
        StringBuilder out = new StringBuilder();
        AsciiSequence view = new AsciiSequence();
        for (int p = message.first(); p >= 0; p = message.first()) {
            switch (message.type(p)) {
                case HttpMessage.REQUEST_LINE:
                    out.append("REQ ").append(message.method(p, view)).append(' ')
                            .append(message.target(p, view)).append(' ').append(message.lineVersion(p)).append('|');
                    break;
                case HttpMessage.STATUS_LINE:
                    out.append("RES ").append(message.status(p)).append(' ').append(message.reason(p, view))
                            .append(' ').append(message.lineVersion(p)).append('|');
                    break;
                case HttpMessage.HEADER:
                    out.append(message.name(p, view)).append(": ").append(message.value(p, view)).append('|');
                    break;
                case HttpMessage.END_OF_HEADERS:
                    out.append("--|");
                    break;
                case HttpMessage.DATA:
                    body.append(message.data(p, view));
                    break;
                case HttpMessage.TRAILER:
                    flushBody(out, body);
                    out.append("T ").append(message.name(p, view)).append(": ").append(message.value(p, view))
                            .append('|');
                    break;
                default:
                    flushBody(out, body);
                    out.append("==|");
                    break;
            }
            message.removeFirst();
        }
        return out.toString();
    }

    static void flushBody(StringBuilder out, StringBuilder body) {
        if (body.length() > 0) {
            out.append("body=").append(body).append('|');
            body.setLength(0);
        }
    }

    /** The flags as text: {@code flags=CLOSE,KA,CL:5,CHUNKED,BODYLESS,UPGRADE,EXPECT,END}. */
    static String flags(HttpMessage message) {
        StringBuilder out = new StringBuilder("flags=");
        String[] names = {"CLOSE", "CL", "CHUNKED", "BODYLESS", "UPGRADE", "EXPECT", "KA", "NORMALIZED", "END"};
        int[] bits = {HttpMessage.F_CLOSE, HttpMessage.F_CONTENT_LENGTH, HttpMessage.F_CHUNKED,
            HttpMessage.F_BODYLESS, HttpMessage.F_UPGRADE, HttpMessage.F_EXPECT_CONTINUE, HttpMessage.F_KEEP_ALIVE,
            HttpMessage.F_NORMALIZED_TARGET, HttpMessage.F_END};
        String sep = "";
        for (int i = 0; i < names.length; i++) {
            if (message.has(bits[i])) {
                out.append(sep).append(names[i]);
                if (bits[i] == HttpMessage.F_CONTENT_LENGTH) {
                    out.append(':').append(message.contentLength());
                }
                sep = ",";
            }
        }
        return out.toString();
    }
}
