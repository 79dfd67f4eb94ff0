package org.muxgate.proxy.config;

import java.util.regex.Pattern;

/**
 * {@code option httpchk} with its {@code http-check expect} rule: the request a
 * health check sends and what the response must show for the check to pass.
 *
 * @param method  the request method, {@code OPTIONS} by default as in HAProxy
 * @param uri     the request target, {@code /} by default
 * @param version the request version, {@code HTTP/1.0} by default
 * @param expect  the rule the response must pass
 */
public record HttpCheck(String method, String uri, String version, Expect expect) {

    /** {@code option httpchk} alone: {@code OPTIONS / HTTP/1.0}, any 2xx or 3xx passes. */
    public static final HttpCheck DEFAULT = new HttpCheck("OPTIONS", "/", "HTTP/1.0", Expect.DEFAULT);

    /**
     * What a response must show: {@code http-check expect status CODES} (codes and
     * ranges separated by commas, such as {@code 200,300-399}), {@code rstatus REGEX},
     * or {@code string TEXT} (in the body). Without a rule, HAProxy passes any 2xx or 3xx.
     *
     * @param kind    which criterion
     * @param ranges  for {@code status}: pairs of inclusive bounds, low then high
     * @param pattern for {@code rstatus}: matched against the three status digits
     * @param text    for {@code string}: searched in the body
     * @param negated {@code !} before the criterion: the check passes when the rule does not match
     */
    public record Expect(Kind kind, int[] ranges, Pattern pattern, String text, boolean negated) {

        /** HAProxy's rule when {@code http-check expect} is absent. */
        public static final Expect DEFAULT = new Expect(Kind.STATUS, new int[] {200, 399}, null, null, false);

        public enum Kind {
            STATUS, RSTATUS, STRING
        }

        /** Whether a response with {@code status} and {@code body} passes; any thread. */
        public boolean passes(int status, CharSequence body) {
            boolean matched = switch (kind) {
                case STATUS -> inRanges(status);
                case RSTATUS -> pattern.matcher(Integer.toString(status)).find();
                case STRING -> body.toString().contains(text);
            };
            return matched != negated;
        }

        private boolean inRanges(int status) {
            for (int i = 0; i < ranges.length; i += 2) {
                if (status >= ranges[i] && status <= ranges[i + 1]) {
                    return true;
                }
            }
            return false;
        }

        /** Whether the body must be read: only {@code string} looks past the status line. */
        public boolean needsBody() {
            return kind == Kind.STRING;
        }
    }
}
