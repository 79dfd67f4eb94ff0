package org.muxgate.transport.tls;

import java.util.List;

/**
 * The options of a {@code bind ... ssl} line but its certificates. Start from
 * {@link #DEFAULTS} and apply each keyword with its {@code with} method, which
 * takes the keyword's argument as written in the configuration and throws a
 * {@link TlsConfigException} worded for the line. Immutable.
 *
 * @param alpn              ALPN protocols in preference order; empty: no ALPN
 * @param protocols         the JDK's enabled protocols, from {@code ssl-min-ver} up
 * @param tls12CipherSuites JDK names of the TLS 1.2 suites in preference order; empty: the JDK's defaults
 * @param tls13CipherSuites TLS 1.3 suites in preference order; empty: the JDK's defaults
 */
public record ServerTlsOptions(
        List<String> alpn, List<String> protocols, List<String> tls12CipherSuites, List<String> tls13CipherSuites) {

    /** HAProxy's defaults for an HTTP bind line: {@code alpn h2,http/1.1}, {@code ssl-min-ver TLSv1.2}. */
    public static final ServerTlsOptions DEFAULTS = new ServerTlsOptions(
            List.of("h2", "http/1.1"), List.of(HaproxyTlsSyntax.TLS13, HaproxyTlsSyntax.TLS12), List.of(), List.of());

    /** Copies the lists; the {@code with} methods are where values are checked. */
    public ServerTlsOptions {
        alpn = List.copyOf(alpn);
        protocols = List.copyOf(protocols);
        tls12CipherSuites = List.copyOf(tls12CipherSuites);
        tls13CipherSuites = List.copyOf(tls13CipherSuites);
    }

    /** {@code alpn h2,http/1.1}. */
    public ServerTlsOptions withAlpn(String list) throws TlsConfigException {
        return new ServerTlsOptions(HaproxyTlsSyntax.alpn(list), protocols, tls12CipherSuites, tls13CipherSuites);
    }

    /** {@code ssl-min-ver TLSv1.2|TLSv1.3}; lower versions are refused. */
    public ServerTlsOptions withMinVersion(String version) throws TlsConfigException {
        return new ServerTlsOptions(alpn, HaproxyTlsSyntax.protocolsFrom(version), tls12CipherSuites, tls13CipherSuites);
    }

    /** {@code ciphers ECDHE-RSA-AES128-GCM-SHA256:...}: TLS 1.2 suites in OpenSSL names. */
    public ServerTlsOptions withCiphers(String list) throws TlsConfigException {
        return new ServerTlsOptions(alpn, protocols, HaproxyTlsSyntax.ciphers(list), tls13CipherSuites);
    }

    /** {@code ciphersuites TLS_AES_128_GCM_SHA256:...}: TLS 1.3 suites. */
    public ServerTlsOptions withCipherSuites(String list) throws TlsConfigException {
        return new ServerTlsOptions(alpn, protocols, tls12CipherSuites, HaproxyTlsSyntax.cipherSuites(list));
    }
}
