package org.muxgate.proxy.config;

/**
 * A problem with one line. The parser records it with the file, the line and the
 * keyword, and goes on with the next line.
 */
final class ConfigArgException extends Exception {

    private static final long serialVersionUID = 1L;

    ConfigArgException(String message) {
        // No stack trace: this is a user's mistake reported as text, not a bug.
        super(message, null, false, false);
    }
}
