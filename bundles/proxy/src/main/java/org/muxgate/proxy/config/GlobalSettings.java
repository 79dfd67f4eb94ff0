package org.muxgate.proxy.config;

/**
 * The {@code global} section.
 *
 * @param nbthread number of worker threads, 0 when not set (one per CPU, at most {@link #MAX_THREADS})
 * @param maxconn  maximum number of concurrent connections of the process, 0 when not set
 * @param bufsize  size of a buffer in bytes ({@code tune.bufsize})
 */
public record GlobalSettings(int nbthread, int maxconn, int bufsize) {

    /** The largest {@code nbthread}, as in HAProxy built for 64-bit thread masks. */
    public static final int MAX_THREADS = 64;

    /** HAProxy's default {@code tune.bufsize}. */
    public static final int DEFAULT_BUFSIZE = 16384;
}
