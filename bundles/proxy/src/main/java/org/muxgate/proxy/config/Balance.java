package org.muxgate.proxy.config;

/**
 * How a backend picks its servers: the {@code balance} line, {@code hash-type} and
 * {@code option allbackups}.
 *
 * @param algorithm  the algorithm
 * @param header     for {@code hdr(NAME)}, the header's name in lower case; else null
 * @param uriWhole   for {@code uri}, whether the query is hashed too ({@code whole})
 * @param uriLength  for {@code uri}, the characters hashed at most ({@code len}), 0 for all
 * @param uriDepth   for {@code uri}, the directories hashed at most ({@code depth}), 0 for all
 * @param uriPathOnly for {@code uri}, whether the scheme and authority of an absolute URI
 *                   are left out ({@code path-only})
 * @param draws      for {@code random(DRAWS)}, the servers drawn, the least loaded taken
 * @param hashType   how hashed algorithms map a key to a server
 * @param allBackups whether all usable backups share the load when no active server is
 *                   usable, rather than the first one only ({@code option allbackups})
 */
public record Balance(BalanceAlgorithm algorithm, String header, boolean uriWhole, int uriLength, int uriDepth,
        boolean uriPathOnly, int draws, HashType hashType, boolean allBackups) {

    /** HAProxy's default number of draws of {@code balance random}. */
    public static final int DEFAULT_DRAWS = 2;

    /** HAProxy's default: {@code balance roundrobin}, {@code hash-type map-based sdbm}. */
    public static final Balance DEFAULT = of(BalanceAlgorithm.ROUNDROBIN);

    /** The algorithm with no argument and HAProxy's defaults for the rest. */
    public static Balance of(BalanceAlgorithm algorithm) {
        return new Balance(algorithm, null, false, 0, 0, false, DEFAULT_DRAWS, HashType.DEFAULT, false);
    }

    /** This balance with another {@code hash-type}. */
    public Balance withHashType(HashType type) {
        return new Balance(algorithm, header, uriWhole, uriLength, uriDepth, uriPathOnly, draws, type, allBackups);
    }

    /** This balance with {@code option allbackups} set or not. */
    public Balance withAllBackups(boolean all) {
        return new Balance(algorithm, header, uriWhole, uriLength, uriDepth, uriPathOnly, draws, hashType, all);
    }

    /** This balance's hash-type and allbackups with another {@code balance} line. */
    Balance withLine(Balance line) {
        return new Balance(line.algorithm, line.header, line.uriWhole, line.uriLength, line.uriDepth,
                line.uriPathOnly, line.draws, hashType, allBackups);
    }
}
