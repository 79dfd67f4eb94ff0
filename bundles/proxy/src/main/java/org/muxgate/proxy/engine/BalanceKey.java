package org.muxgate.proxy.engine;

import java.net.InetAddress;

import org.muxgate.api.http.AsciiSequence;
import org.muxgate.api.http.HttpMessage;
import org.muxgate.proxy.config.Balance;
import org.muxgate.proxy.lb.LoadBalancer;

/**
 * The key a request gives its backend's hashed algorithm, computed on the request's
 * own bytes through a view, without allocation. Threads: the stream's.
 */
final class BalanceKey {

    private BalanceKey() {
    }

    /**
     * @param request the request, its head complete; null for a TCP stream, which has
     *                only its source (HAProxy falls back to round robin for the layer-7
     *                algorithms in mode tcp, which the configuration warns about)
     * @param client  the client's address, or null
     * @param view    a view the call may point anywhere
     * @return the key, or {@link LoadBalancer#NO_KEY} if the algorithm uses none or the
     *         request has none (a header missing or empty)
     */
    static long of(Balance balance, HttpMessage request, InetAddress client, AsciiSequence view) {
        return switch (balance.algorithm()) {
            case SOURCE -> LoadBalancer.sourceKey(client);
            case URI -> request == null ? LoadBalancer.NO_KEY : uri(balance, request, view);
            case HDR -> request == null ? LoadBalancer.NO_KEY : header(balance, request, view);
            default -> LoadBalancer.NO_KEY;
        };
    }

    /**
     * HAProxy's URI hash: the target (or only its path, with {@code path-only}) up to
     * the query unless {@code whole}, at most {@code len} characters, and at most
     * {@code depth} directories: the text stops before the slash that would begin
     * directory depth + 1.
     */
    private static long uri(Balance balance, HttpMessage request, AsciiSequence view) {
        int line = request.startLine();
        AsciiSequence uri = balance.uriPathOnly() ? request.path(line, view, true) : request.target(line, view);
        int end = balance.uriLength() > 0 ? Math.min(uri.length(), balance.uriLength()) : uri.length();
        int slashes = 0;
        for (int i = 0; i < end; i++) {
            char c = uri.charAt(i);
            if ((c == '/' && balance.uriDepth() > 0 && ++slashes > balance.uriDepth())
                    || (c == '?' && !balance.uriWhole())) {
                end = i;
            }
        }
        return balance.hashType().function().hash(uri, 0, end);
    }

    /** The first value of the header's first occurrence, trimmed; none when missing or empty. */
    private static long header(Balance balance, HttpMessage request, AsciiSequence view) {
        int position = request.findHeader(balance.header(), -1, view);
        if (position < 0) {
            return LoadBalancer.NO_KEY;
        }
        AsciiSequence value = request.value(position, view);
        int end = 0;
        while (end < value.length() && value.charAt(end) != ',') {
            end++;
        }
        int start = 0;
        while (start < end && isSpace(value.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(value.charAt(end - 1))) {
            end--;
        }
        return start == end ? LoadBalancer.NO_KEY : balance.hashType().function().hash(value, start, end);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
