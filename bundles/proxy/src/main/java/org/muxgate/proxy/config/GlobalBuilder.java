package org.muxgate.proxy.config;

/** The {@code global} settings being parsed; several global sections add up. */
final class GlobalBuilder {

    int nbthread;
    int maxconn;
    int bufsize = GlobalSettings.DEFAULT_BUFSIZE;
    int maxhdr = GlobalSettings.DEFAULT_MAXHDR;

    GlobalSettings build() {
        return new GlobalSettings(nbthread, maxconn, bufsize, maxhdr);
    }
}
