package org.muxgate.api.http;

/**
 * What a frontend's HTTP mux needs to know of the proxy: its limits, timeouts and
 * error pages. Immutable; any thread.
 */
public interface HttpSettings {

    /** @return the most headers a message may carry ({@code tune.http.maxhdr}) */
    int maxHeaders();

    /** @return ms to receive a complete request head ({@code timeout http-request}), 0 for none */
    long requestTimeout();

    /** @return ms to wait for the next request on a kept-alive connection ({@code timeout http-keep-alive}), 0 for none */
    long keepAliveTimeout();

    /** @return ms of client inactivity ({@code timeout client}), 0 for none */
    long clientTimeout();

    /**
     * @return what an HTTP/2 client may send on a stream before the proxy gives it
     *         more ({@code tune.h2.initial-window-size}), at least the protocol's
     *         default of 65535 bytes, which it is unless set
     */
    default int h2InitialWindowSize() {
        return 65_535;
    }

    /**
     * @return the complete HTTP/1.x response for an error the mux answers itself
     *         (400, 408, 501): an {@code errorfile}, else the built-in page
     */
    byte[] errorPage(int status);
}
