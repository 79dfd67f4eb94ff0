package org.muxgate.transport.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * {@code verify none}: accepts any server certificate, and checks no host name.
 * Being an {@link X509ExtendedTrustManager}, the JDK adds no check of its own around
 * it. Stateless and thread-safe.
 */
final class UnverifiedTrustManager extends X509ExtendedTrustManager {

    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // verify none: the operator chose to trust whatever the server presents.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // verify none, as above.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // verify none, as above.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // Never asked: this manager serves client-mode engines only.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // Never asked, as above.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // Never asked, as above.
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS;
    }
}
