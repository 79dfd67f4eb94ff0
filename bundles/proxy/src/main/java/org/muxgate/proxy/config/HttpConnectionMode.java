package org.muxgate.proxy.config;

/**
 * What happens to the connections around an HTTP transaction, HAProxy's
 * {@code option http-keep-alive}, {@code option http-server-close} and
 * {@code option httpclose}. Within a section the last of these options wins. A
 * transaction goes through a frontend and a backend, which may disagree: as in
 * HAProxy, the stricter of the two applies, {@code CLOSE} over
 * {@code SERVER_CLOSE} over {@code KEEP_ALIVE} ({@link #stricter}).
 */
public enum HttpConnectionMode {
    /** Both connections are kept open between transactions (HAProxy's default). */
    KEEP_ALIVE("http-keep-alive"),
    /** The client connection is kept open, the server connection is closed after each response. */
    SERVER_CLOSE("http-server-close"),
    /** Both connections are closed after each transaction. */
    CLOSE("httpclose");

    private final String option;

    HttpConnectionMode(String option) {
        this.option = option;
    }

    /** The option that selects this mode: {@code option NAME}. */
    public String option() {
        return option;
    }

    /** The mode of a transaction whose frontend says {@code a} and backend {@code b} (or the reverse). */
    public static HttpConnectionMode stricter(HttpConnectionMode a, HttpConnectionMode b) {
        // The constants are declared from the least to the most strict.
        return a.compareTo(b) >= 0 ? a : b;
    }
}
