package org.muxgate.proxy.config;

import org.muxgate.proxy.rules.Condition;

/**
 * A {@code use_backend} rule.
 *
 * @param backend   the name of the backend to use
 * @param line      the line of the rule
 * @param condition when the rule applies ({@code if}/{@code unless}), or null when it always does
 */
public record BackendRule(String backend, int line, Condition condition) {
}
