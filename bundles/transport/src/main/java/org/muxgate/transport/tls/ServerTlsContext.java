package org.muxgate.transport.tls;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The TLS side of one {@code bind ... ssl} line: its certificates, chosen by SNI
 * ({@link SniKeyManager}), its ALPN list, protocol versions and cipher suites. It
 * creates one server-mode {@link SSLEngine} per accepted connection. Sessions are
 * cached per context, so a client resumes on any connection to the same listener.
 *
 * <p>Immutable and thread-safe: any thread may create engines. An engine belongs to
 * its connection and is driven by that connection's thread only.
 */
public final class ServerTlsContext {

    private final SSLContext sslContext;
    private final ServerTlsOptions options;
    private final String[] protocols;
    private final String[] cipherSuites;
    private final BiFunction<SSLEngine, List<String>, String> alpnSelector;

    /**
     * The same certificates, session cache and suites, offering {@code alpn} instead:
     * a tcp frontend drops the HTTP default.
     */
    public ServerTlsContext withAlpn(List<String> alpn) {
        return new ServerTlsContext(sslContext, new ServerTlsOptions(alpn, options.protocols(),
                options.tls12CipherSuites(), options.tls13CipherSuites()), cipherSuites);
    }

    private ServerTlsContext(SSLContext sslContext, ServerTlsOptions options, String[] cipherSuites) {
        this.sslContext = sslContext;
        this.options = options;
        this.protocols = options.protocols().toArray(String[]::new);
        this.cipherSuites = cipherSuites;
        List<String> ours = options.alpn();
        this.alpnSelector = (engine, offered) -> select(ours, offered);
    }

    /**
     * @param bundles the {@code crt} files in configuration order; the first is the
     *                default certificate for clients whose name matches none
     * @throws TlsConfigException if a configured suite is not available in this JDK
     * @throws IllegalArgumentException if {@code bundles} is empty
     */
    public static ServerTlsContext create(List<PemBundle> bundles, ServerTlsOptions options) throws TlsConfigException {
        SSLContext sslContext;
        try {
            sslContext = SSLContext.getInstance("TLS");
            sslContext.init(new KeyManager[] {new SniKeyManager(bundles)}, null, null);
        } catch (GeneralSecurityException e) {
            // The JDK always provides "TLS"; failing here means a broken runtime, not a configuration.
            throw new IllegalStateException("the JDK's TLS provider failed", e);
        }
        TlsSessionCache.configure(sslContext.getServerSessionContext());
        return new ServerTlsContext(sslContext, options, cipherSuites(sslContext, options));
    }

    /** The options it was built with. */
    public ServerTlsOptions options() {
        return options;
    }

    /** A server-mode engine for one accepted connection, before its handshake. */
    public SSLEngine newEngine() {
        SSLEngine engine = sslContext.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        parameters.setCipherSuites(cipherSuites);
        // HAProxy prefers the server's order unless told prefer-client-ciphers.
        parameters.setUseCipherSuitesOrder(true);
        engine.setSSLParameters(parameters);
        // With no ALPN configured the selector answers "" to any offer: no ALPN.
        engine.setHandshakeApplicationProtocolSelector(alpnSelector);
        return engine;
    }

    /**
     * The first of our protocols that the client offers, as HAProxy chooses. No match:
     * "", which the JDK takes as "go on without ALPN", where null would end the
     * handshake with no_application_protocol. (The JDK asks only clients that offer ALPN.)
     */
    static String select(List<String> ours, List<String> offered) {
        for (String protocol : ours) {
            if (offered.contains(protocol)) {
                return protocol;
            }
        }
        return "";
    }

    /**
     * The enabled suites: the configured TLS 1.3 and TLS 1.2 lists, each replacing
     * the JDK's defaults for its version only, as {@code ciphersuites} and
     * {@code ciphers} do in OpenSSL.
     */
    private static String[] cipherSuites(SSLContext sslContext, ServerTlsOptions options) throws TlsConfigException {
        List<String> defaults = Arrays.asList(sslContext.getDefaultSSLParameters().getCipherSuites());
        Set<String> supported = Set.of(sslContext.getSupportedSSLParameters().getCipherSuites());
        List<String> suites = new ArrayList<>();
        if (options.tls13CipherSuites().isEmpty()) {
            defaults.stream().filter(HaproxyTlsSyntax.TLS13_SUITES::contains).forEach(suites::add);
        } else {
            suites.addAll(options.tls13CipherSuites());
        }
        if (options.tls12CipherSuites().isEmpty()) {
            defaults.stream().filter(suite -> !HaproxyTlsSyntax.TLS13_SUITES.contains(suite)).forEach(suites::add);
        } else {
            suites.addAll(options.tls12CipherSuites());
        }
        for (String suite : suites) {
            if (!supported.contains(suite)) {
                throw new TlsConfigException("cipher suite " + suite + " is not available in this Java runtime");
            }
        }
        return suites.toArray(String[]::new);
    }
}
