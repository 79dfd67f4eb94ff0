package org.muxgate.proxy.config;

/**
 * The hash of a request's text for {@code balance uri} and {@code hdr(NAME)}: the
 * functions of HAProxy's {@code hash-type}, over the text's characters as bytes (the
 * text of a request head is ASCII), so that a key maps to the same server as under
 * HAProxy with the same servers and {@code map-based} hashing.
 */
public enum HashFunction {
    /** The sdbm database's hash: {@code h = c + (h << 6) + (h << 16) - h}. HAProxy's default. */
    SDBM("sdbm"),
    /** Bernstein's hash: {@code h = h * 33 + c}, from 5381. */
    DJB2("djb2");

    private final String token;

    HashFunction(String token) {
        this.token = token;
    }

    /** The word used in the configuration file. */
    public String token() {
        return token;
    }

    /**
     * Hashes {@code text[from, to)}.
     *
     * @return the 32-bit hash, as an unsigned value
     */
    public long hash(CharSequence text, int from, int to) {
        int h = this == SDBM ? 0 : 5381;
        for (int i = from; i < to; i++) {
            int c = text.charAt(i) & 0xff;
            h = this == SDBM ? c + (h << 6) + (h << 16) - h : (h << 5) + h + c;
        }
        return h & 0xffffffffL;
    }
}
