package org.muxgate.transport.tls;

/**
 * A TLS setting that cannot be used: a PEM file that does not load, an unknown
 * cipher, a refused version. The message is written for a configuration error line
 * (for example {@code crt '/etc/x.pem': no private key}); the configuration parser
 * adds the file, line and keyword. Immutable.
 */
public final class TlsConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    TlsConfigException(String message) {
        // No stack trace: this is a user's mistake reported as text, not a bug.
        super(message, null, false, false);
    }
}
