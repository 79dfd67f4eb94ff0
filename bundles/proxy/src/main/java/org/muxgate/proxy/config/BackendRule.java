package org.muxgate.proxy.config;

/**
 * A {@code use_backend} rule. Conditions ({@code if}/{@code unless}) are not
 * supported yet, so a rule always matches.
 *
 * @param backend the name of the backend to use
 * @param line    the line of the rule
 */
public record BackendRule(String backend, int line) {
}
