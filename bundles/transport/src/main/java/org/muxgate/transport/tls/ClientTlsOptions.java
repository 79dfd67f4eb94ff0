package org.muxgate.transport.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;

/**
 * The options of a {@code server ... ssl} line. Start from {@link #DEFAULTS} and
 * apply each keyword with its {@code with} method, which takes the keyword's
 * argument as written in the configuration and throws a {@link TlsConfigException}
 * worded for the line. Immutable.
 *
 * @param verify whether the server's certificate is checked ({@code verify required},
 *               HAProxy's default) or not ({@code verify none})
 * @param caFile the CA certificates to trust; empty: the JDK's default trust store
 * @param sni    the server name to send, and to check the certificate against when
 *               verifying; empty: no SNI and no host name check, as in HAProxy
 * @param alpn   ALPN protocols to offer in preference order; empty: no ALPN
 */
public record ClientTlsOptions(boolean verify, Optional<Path> caFile, Optional<String> sni, List<String> alpn) {

    /** HAProxy's defaults: {@code verify required}, no SNI, no ALPN. */
    public static final ClientTlsOptions DEFAULTS = new ClientTlsOptions(true, Optional.empty(), Optional.empty(), List.of());

    /** Copies the list; the {@code with} methods are where values are checked. */
    public ClientTlsOptions {
        alpn = List.copyOf(alpn);
    }

    /** {@code verify none|required}. */
    public ClientTlsOptions withVerify(String mode) throws TlsConfigException {
        switch (mode) {
            case "none":
                return new ClientTlsOptions(false, caFile, sni, alpn);
            case "required":
                return new ClientTlsOptions(true, caFile, sni, alpn);
            default:
                throw new TlsConfigException("verify '" + mode + "': expected none or required");
        }
    }

    /** {@code ca-file FILE}; the file is read when the context is built. */
    public ClientTlsOptions withCaFile(Path file) {
        return new ClientTlsOptions(verify, Optional.of(file), sni, alpn);
    }

    /** {@code sni STR}: a fixed host name. */
    public ClientTlsOptions withSni(String hostName) throws TlsConfigException {
        try {
            new SNIHostName(hostName);
        } catch (IllegalArgumentException e) {
            throw new TlsConfigException("sni '" + hostName + "': not a host name (" + e.getMessage() + ")");
        }
        return new ClientTlsOptions(verify, caFile, Optional.of(hostName), alpn);
    }

    /** {@code alpn h2,http/1.1}. */
    public ClientTlsOptions withAlpn(String list) throws TlsConfigException {
        return new ClientTlsOptions(verify, caFile, sni, HaproxyTlsSyntax.alpn(list));
    }
}
