package org.muxgate.transport.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS side of one {@code server ... ssl} line: how its certificate is verified,
 * the SNI sent, the ALPN offered. It creates one client-mode {@link SSLEngine} per
 * server connection, named by the server's host and port so that the JDK's client
 * session cache, kept per context, resumes the last session with that server.
 *
 * <p>With {@code verify required} and an {@code sni}, the certificate must name the
 * SNI name ({@code HTTPS} endpoint identification), as HAProxy's {@code verifyhost}
 * defaults to it. The engine is then named by the SNI name rather than the address:
 * the JDK, when the SNI check fails, tries the engine's name, and an address must not
 * let a certificate pass that does not name the SNI host. The session cache is then
 * keyed by that name and the port.
 *
 * <p>Immutable and thread-safe: any thread may create engines. An engine belongs to
 * its connection and is driven by that connection's thread only.
 */
public final class ClientTlsContext {

    private static final String[] PROTOCOLS = {HaproxyTlsSyntax.TLS13, HaproxyTlsSyntax.TLS12};

    private final SSLContext sslContext;
    private final ClientTlsOptions options;
    /** What the engines send; empty when no {@code sni} is set, as HAProxy sends none then. */
    private final List<SNIServerName> serverNames;
    private final String[] alpn;

    private ClientTlsContext(SSLContext sslContext, ClientTlsOptions options) {
        this.sslContext = sslContext;
        this.options = options;
        this.serverNames = options.sni().<List<SNIServerName>>map(name -> List.of(new SNIHostName(name))).orElse(List.of());
        this.alpn = options.alpn().toArray(String[]::new);
    }

    /** @throws TlsConfigException if the {@code ca-file} cannot be used */
    public static ClientTlsContext create(ClientTlsOptions options) throws TlsConfigException {
        TrustManager[] trustManagers = options.verify()
                ? verifyingTrustManagers(options.caFile().orElse(null))
                : new TrustManager[] {new UnverifiedTrustManager()};
        SSLContext sslContext;
        try {
            sslContext = SSLContext.getInstance("TLS");
            sslContext.init(null, trustManagers, null);
        } catch (GeneralSecurityException e) {
            // The JDK always provides "TLS"; failing here means a broken runtime, not a configuration.
            throw new IllegalStateException("the JDK's TLS provider failed", e);
        }
        TlsSessionCache.configure(sslContext.getClientSessionContext());
        return new ClientTlsContext(sslContext, options);
    }

    /** The options it was built with. */
    public ClientTlsOptions options() {
        return options;
    }

    /**
     * A client-mode engine for one connection to a server, before its handshake.
     *
     * @param peerHost the server's address or name as configured: with the port, the
     *                 session cache's key unless an {@code sni} names the engine
     * @param peerPort the server's port, the other half of that key
     */
    public SSLEngine newEngine(String peerHost, int peerPort) {
        // Named by the sni when there is one: see the class comment.
        SSLEngine engine = sslContext.createSSLEngine(options.sni().orElse(peerHost), peerPort);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        // SSLParameters copies the array, so sharing it is safe.
        parameters.setProtocols(PROTOCOLS);
        // Set even when empty: the JDK would otherwise derive a name from peerHost.
        parameters.setServerNames(serverNames);
        if (options.verify() && options.sni().isPresent()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        // Empty: no ALPN extension.
        parameters.setApplicationProtocols(alpn);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** PKIX validation against the {@code ca-file}'s certificates, or against the JDK's trust store. */
    private static TrustManager[] verifyingTrustManagers(Path caFile) throws TlsConfigException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                factory.init((KeyStore) null);
            } else {
                factory.init(trustStore(caFile));
            }
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's trust manager failed", e);
        }
    }

    private static KeyStore trustStore(Path caFile) throws TlsConfigException, GeneralSecurityException {
        String prefix = "ca-file '" + caFile + "': ";
        List<X509Certificate> authorities = PemReader.certificates(prefix, PemReader.read(prefix, caFile));
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            // Loading an empty store reads nothing.
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < authorities.size(); i++) {
            store.setCertificateEntry("ca-" + i, authorities.get(i));
        }
        return store;
    }
}
