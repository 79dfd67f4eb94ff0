package org.muxgate.proxy.config;

import java.time.Duration;

/**
 * The {@code global} section.
 *
 * @param nbthread number of worker threads, 0 when not set (one per CPU, at most {@link #MAX_THREADS})
 * @param maxconn  maximum number of concurrent connections of the process, 0 when not set
 * @param bufsize  size of a buffer in bytes ({@code tune.bufsize})
 * @param maxhdr   maximum number of headers in an HTTP message ({@code tune.http.maxhdr})
 * @param hardStopAfter how long a stop lets client connections finish what they carry
 *                 ({@code hard-stop-after}); zero when not set: they are closed at once,
 *                 after an h2 client's GOAWAY
 * @param h2InitialWindow the window of each stream of an HTTP/2 client, and the
 *                 connection's ({@code tune.h2.initial-window-size})
 */
public record GlobalSettings(int nbthread, int maxconn, int bufsize, int maxhdr, Duration hardStopAfter,
        int h2InitialWindow) {

    /** The largest {@code nbthread}, as in HAProxy built for 64-bit thread masks. */
    public static final int MAX_THREADS = 64;

    /** HAProxy's default {@code tune.bufsize}. */
    public static final int DEFAULT_BUFSIZE = 16384;

    /** HAProxy's default {@code tune.http.maxhdr}. */
    public static final int DEFAULT_MAXHDR = 101;

    /** HAProxy's largest {@code tune.http.maxhdr}. */
    public static final int MAX_MAXHDR = 32767;

    /** HTTP/2's default window, the smallest {@code tune.h2.initial-window-size}. */
    public static final int DEFAULT_H2_WINDOW = 65_535;

    /** The settings of a file that sets neither {@code hard-stop-after} nor {@code tune.h2.initial-window-size}. */
    public GlobalSettings(int nbthread, int maxconn, int bufsize, int maxhdr) {
        this(nbthread, maxconn, bufsize, maxhdr, Duration.ZERO, DEFAULT_H2_WINDOW);
    }

    /** The settings of a file that does not set {@code tune.http.maxhdr} nor {@code hard-stop-after}. */
    public GlobalSettings(int nbthread, int maxconn, int bufsize) {
        this(nbthread, maxconn, bufsize, DEFAULT_MAXHDR);
    }
}
