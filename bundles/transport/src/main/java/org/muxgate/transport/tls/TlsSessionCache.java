package org.muxgate.transport.tls;

import javax.net.ssl.SSLSessionContext;

/**
 * The session cache settings both sides share: HAProxy's defaults for
 * {@code tune.ssl.cachesize} (20000 sessions) and {@code tune.ssl.lifetime}
 * (300 seconds). The JDK keeps its cache enabled and issues TLS 1.3 tickets by
 * default; this only bounds it. Stateless.
 */
final class TlsSessionCache {

    static final int SIZE = 20_000;
    static final int LIFETIME_SECONDS = 300;

    static void configure(SSLSessionContext sessions) {
        sessions.setSessionCacheSize(SIZE);
        sessions.setSessionTimeout(LIFETIME_SECONDS);
    }

    private TlsSessionCache() {
    }
}
