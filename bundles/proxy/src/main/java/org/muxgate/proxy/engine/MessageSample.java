package org.muxgate.proxy.engine;

import java.net.InetAddress;

import org.muxgate.api.http.AsciiSequence;
import org.muxgate.api.http.HttpMessage;
import org.muxgate.proxy.rules.HttpSample;
import org.muxgate.proxy.rules.ValueMatcher;

/**
 * A request, as conditions see it: the method, path and headers of a message
 * whose head is complete, and the client's address. One per stream, pointed at its
 * request with {@link #of}; the values it passes to matchers are its own views on
 * the message's buffer, so matching allocates nothing.
 *
 * <p>Threads: the stream's.
 */
final class MessageSample implements HttpSample {

    private final AsciiSequence view = new AsciiSequence();
    private final AsciiSequence part = new AsciiSequence();
    private HttpMessage request;
    private InetAddress source;

    /** @return a view for the caller's own reads of the request (header edits) */
    AsciiSequence view() {
        return part;
    }

    /**
     * Points the sample at a request head and its client.
     *
     * @param message the request, or null for a tcp stream: then only {@code src} matches
     * @return this
     */
    MessageSample of(HttpMessage message, InetAddress client) {
        this.request = message;
        this.source = client;
        return this;
    }

    @Override
    public boolean matchMethod(ValueMatcher matcher) {
        return request != null && matcher.matches(request.method(request.startLine(), view));
    }

    @Override
    public boolean matchPath(ValueMatcher matcher) {
        return request != null && matcher.matches(request.path(request.startLine(), view, false));
    }

    @Override
    public boolean matchHeader(String lowercaseName, ValueMatcher matcher) {
        if (request == null) {
            return false;
        }
        for (int p = request.findHeader(lowercaseName, -1, view); p >= 0; p = request.findHeader(lowercaseName, p,
                view)) {
            request.value(p, view);
            if (matchValues(matcher)) {
                return true;
            }
        }
        return false;
    }

    /** Tries each comma-separated value of the header value in {@link #view}, trimmed. */
    private boolean matchValues(ValueMatcher matcher) {
        int length = view.length();
        int start = 0;
        while (true) {
            int end = start;
            while (end < length && view.charAt(end) != ',') {
                end++;
            }
            int from = start;
            int to = end;
            while (from < to && isSpace(view.charAt(from))) {
                from++;
            }
            while (to > from && isSpace(view.charAt(to - 1))) {
                to--;
            }
            if (matcher.matches(subView(from, to))) {
                return true;
            }
            if (end >= length) {
                return false;
            }
            start = end + 1;
        }
    }

    /** The characters [from, to) of {@link #view}, in {@link #part}. */
    private CharSequence subView(int from, int to) {
        return view.slice(from, to - from, part);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    @Override
    public InetAddress source() {
        return source;
    }
}
