package org.muxgate.mux.h2;

/**
 * A header block that cannot be decoded: a COMPRESSION_ERROR of the connection, or,
 * when {@link #headerListTooLarge()}, a block decoded to the end (the table is in
 * step) whose fields exceed the limits: an error of its stream only.
 */
final class HpackException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean headerListTooLarge;

    HpackException(String message) {
        this(message, false);
    }

    HpackException(String message, boolean headerListTooLarge) {
        super(message, null, false, false);
        this.headerListTooLarge = headerListTooLarge;
    }

    boolean headerListTooLarge() {
        return headerListTooLarge;
    }
}
