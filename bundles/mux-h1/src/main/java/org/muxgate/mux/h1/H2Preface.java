package org.muxgate.mux.h1;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;

/**
 * The HTTP/2 client connection preface (RFC 9113 section 3.4) at the head of what
 * an HTTP/1 bind read: a client speaking h2 with prior knowledge. Stateless.
 */
final class H2Preface {

    /** The token of the mux the connection then goes to. */
    static final String TOKEN = "h2";

    /** The input is not the preface. */
    static final int NO = 0;
    /** The input is the beginning of the preface: more is needed to tell. */
    static final int PARTIAL = 1;
    /** The input begins with the whole preface. */
    static final int WHOLE = 2;

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(US_ASCII);

    private H2Preface() {
    }

    /** @return {@link #NO}, {@link #PARTIAL} or {@link #WHOLE} for the bytes from position to limit */
    static int match(ByteBuffer in) {
        int n = Math.min(in.remaining(), PREFACE.length);
        for (int i = 0; i < n; i++) {
            if (in.get(in.position() + i) != PREFACE[i]) {
                return NO;
            }
        }
        return n == PREFACE.length ? WHOLE : PARTIAL;
    }
}
