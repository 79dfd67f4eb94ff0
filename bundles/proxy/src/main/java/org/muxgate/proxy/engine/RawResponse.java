package org.muxgate.proxy.engine;

import java.nio.ByteBuffer;

import org.muxgate.api.http.AsciiSequence;
import org.muxgate.api.http.HttpMessage;

/**
 * Turns a complete HTTP/1.x response of our own (an error page or {@code
 * errorfile}, an {@code http-request return} or {@code redirect}) into the internal
 * message form, so that any frontend mux can send it. The bytes come from the
 * configuration, checked when it was parsed, or from our own builders: this is not
 * the strict parser of the h1 mux, only a reader of well-formed responses.
 *
 * <p>Threads: any; it keeps no state.
 */
final class RawResponse {

    private RawResponse() {
    }

    /**
     * Fills {@code into}, which must be empty, with the response in {@code raw}
     * between its position and limit: status line, headers ({@code content-length}
     * and {@code connection} become flags), body, end.
     *
     * @param view the caller's scratch window, for reading header names and values
     * @return false if it does not fit in {@code into} or is not a response
     */
    static boolean toMessage(ByteBuffer raw, HttpMessage into, AsciiSequence view) {
        int start = raw.position();
        int end = raw.limit();
        int lineEnd = lineEnd(raw, start, end);
        // "HTTP/1.x SSS reason"
        if (lineEnd < 0 || lineEnd - start < 12) {
            return false;
        }
        int status = (raw.get(start + 9) - '0') * 100 + (raw.get(start + 10) - '0') * 10 + (raw.get(start + 11) - '0');
        int reasonStart = Math.min(start + 13, lineEnd);
        if (!into.addStatusLine(HttpMessage.HTTP_1_1, status, raw, reasonStart, lineEnd - reasonStart)) {
            return false;
        }
        int at = lineEnd + 2;
        while (true) {
            lineEnd = lineEnd(raw, at, end);
            if (lineEnd < 0) {
                return false;
            }
            if (lineEnd == at) {
                at += 2;
                break;
            }
            int colon = at;
            while (colon < lineEnd && raw.get(colon) != ':') {
                colon++;
            }
            int valueStart = colon + 1;
            while (valueStart < lineEnd && (raw.get(valueStart) == ' ' || raw.get(valueStart) == '\t')) {
                valueStart++;
            }
            int valueLength = lineEnd - valueStart;
            if (view.set(raw, at, colon - at).contentEquals("content-length", true)) {
                into.setContentLength(view.set(raw, valueStart, valueLength).parseDecimal());
            } else if (view.contentEquals("connection", true)) {
                if (view.set(raw, valueStart, valueLength).contentEquals("close", true)) {
                    into.setFlags(HttpMessage.F_CLOSE);
                }
            } else if (!into.addField(HttpMessage.HEADER, raw, at, colon - at, valueStart, lineEnd - valueStart)) {
                return false;
            }
            at = lineEnd + 2;
        }
        if (!into.addMarker(HttpMessage.END_OF_HEADERS)) {
            return false;
        }
        int body = end - at;
        if (!into.has(HttpMessage.F_CONTENT_LENGTH)) {
            into.setContentLength(body);
        }
        if (body > 0 && into.addData(raw, at, body) < body) {
            return false;
        }
        into.end();
        return true;
    }

    /** @return the index of the CR of the next CRLF from {@code from}, or -1 */
    private static int lineEnd(ByteBuffer raw, int from, int end) {
        for (int i = from; i + 1 < end; i++) {
            if (raw.get(i) == '\r' && raw.get(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }
}
