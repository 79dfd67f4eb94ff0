package org.muxgate.proxy.config;

/**
 * HAProxy's {@code hash-type METHOD [FUNCTION] [avalanche]}: how hashed algorithms
 * ({@code source}, {@code uri}, {@code hdr}) map a key to a server.
 *
 * @param consistent whether servers own points on a ring ({@code consistent}), so that a
 *                   server going down or up moves only its own share of keys; else
 *                   {@code map-based}: the key modulo the total weight, where a change
 *                   moves most keys
 * @param function   the hash of the request's text for {@code uri} and {@code hdr}
 * @param avalanche  whether the key is mixed once more before mapping ({@code avalanche}),
 *                   which spreads keys that differ in few bits, such as neighbouring
 *                   source addresses on a consistent ring
 */
public record HashType(boolean consistent, HashFunction function, boolean avalanche) {

    /** HAProxy's default: {@code map-based sdbm}. */
    public static final HashType DEFAULT = new HashType(false, HashFunction.SDBM, false);
}
