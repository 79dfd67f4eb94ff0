package org.muxgate.proxy.rules;

/**
 * How an ACL compares a value with its patterns, HAProxy's {@code -m} flag. Each
 * criterion has a default ({@code path_beg} is {@code beg}...) that {@code -m}
 * overrides.
 */
public enum MatchMethod {
    /** The whole value equals a pattern. */
    STR("str"),
    /** The value starts with a pattern. */
    BEG("beg"),
    /** The value ends with a pattern. */
    END("end"),
    /** The value contains a pattern. */
    SUB("sub"),
    /**
     * The value contains a pattern delimited by {@code / ? . :} or the ends of the
     * value: {@code example.com} matches {@code www.example.com:8080}, not
     * {@code myexample.com}.
     */
    DOM("dom"),
    /** The value exists, whatever it is; the patterns are ignored. */
    FOUND("found");

    private final String token;

    MatchMethod(String token) {
        this.token = token;
    }

    /** The word following {@code -m} in the configuration file. */
    public String token() {
        return token;
    }
}
