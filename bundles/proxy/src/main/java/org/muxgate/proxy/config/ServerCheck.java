package org.muxgate.proxy.config;

import java.net.InetAddress;
import java.time.Duration;

/**
 * The health-check settings of a {@code server} line, with HAProxy's defaults.
 *
 * @param enabled   {@code check}: without it the server is never checked and stays up
 * @param inter     the interval between two checks of a server that is up and healthy
 * @param fastInter {@code fastinter}: the interval while the server changes state
 *                  (up but failing, or down but passing)
 * @param downInter {@code downinter}: the interval while the server is fully down
 * @param rise      consecutive successful checks that bring a down server up
 * @param fall      consecutive failed checks that take an up server down
 * @param port      {@code port}: the port checked, 0 for the server's own
 * @param address   {@code addr}: the address checked, null for the server's own
 * @param observe    {@code observe}: which traffic errors count against the server
 * @param errorLimit {@code error-limit}: consecutive traffic errors that trigger {@code onError}
 * @param onError    {@code on-error}: what those errors do to the server's checks
 */
public record ServerCheck(boolean enabled, Duration inter, Duration fastInter, Duration downInter, int rise,
        int fall, int port, InetAddress address, Observe observe, int errorLimit, OnError onError) {

    /** {@code observe}: the traffic a server's health follows besides its checks. */
    public enum Observe {
        /** Not observed (no {@code observe}). */
        NONE("none"),
        /** Connection failures count as errors. */
        LAYER4("layer4"),
        /** Connection failures, invalid responses and 5xx statuses but 501 and 505 count as errors. */
        LAYER7("layer7");

        private final String token;

        Observe(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }
    }

    /** {@code on-error}: HAProxy's actions when {@code error-limit} consecutive errors were observed. */
    public enum OnError {
        /** The next check comes after {@code fastinter}. */
        FASTINTER("fastinter"),
        /** Counts as a failed check, and the next one comes after {@code fastinter}. */
        FAIL_CHECK("fail-check"),
        /** The server is one failed check away from down, and the next one comes after {@code fastinter}. */
        SUDDEN_DEATH("sudden-death"),
        /** The server is marked down at once, and the next check comes after {@code fastinter}. */
        MARK_DOWN("mark-down");

        private final String token;

        OnError(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }
    }

    /** HAProxy's {@code error-limit} default. */
    public static final int DEFAULT_ERROR_LIMIT = 10;

    /** HAProxy's {@code inter} default. */
    public static final Duration DEFAULT_INTER = Duration.ofSeconds(2);

    /** No check; the intervals and counts HAProxy uses when {@code check} comes without them. */
    public static final ServerCheck NONE = new ServerCheck(false, DEFAULT_INTER, DEFAULT_INTER, DEFAULT_INTER, 2, 3,
            0, null, Observe.NONE, DEFAULT_ERROR_LIMIT, OnError.FAIL_CHECK);
}
