package org.muxgate.proxy.rules;

/**
 * An {@code http-request} or {@code http-response} line.
 *
 * @param line      the line of the rule in the configuration file
 * @param action    what it does
 * @param condition when it applies, or null when it always does
 */
public record HttpRule(int line, HttpAction action, Condition condition) {

    /** Whether the rule applies to this transaction. */
    public boolean applies(HttpSample sample) {
        return condition == null || condition.evaluate(sample);
    }
}
