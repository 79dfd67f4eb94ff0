package org.muxgate.proxy.config;

import java.time.Duration;

/** The {@code global} settings being parsed; several global sections add up. */
final class GlobalBuilder {

    int nbthread;
    int maxconn;
    int bufsize = GlobalSettings.DEFAULT_BUFSIZE;
    int maxhdr = GlobalSettings.DEFAULT_MAXHDR;
    Duration hardStopAfter = Duration.ZERO;
    int h2InitialWindow = GlobalSettings.DEFAULT_H2_WINDOW;

    GlobalSettings build() {
        return new GlobalSettings(nbthread, maxconn, bufsize, maxhdr, hardStopAfter, h2InitialWindow);
    }
}
