package org.muxgate.proxy.config;

import java.util.List;

/**
 * A frontend, from a {@code frontend} section or the frontend half of a
 * {@code listen} section, with the defaults in effect already applied.
 *
 * @param name           the section's name
 * @param line           the line of the section's header
 * @param mode           tcp or http
 * @param binds          at least one
 * @param defaultBackend the backend used when no rule matches, or null; a listen
 *                       section's frontend uses its own backend unless told otherwise
 * @param useBackends    the {@code use_backend} rules in order
 * @param maxconn        maximum concurrent connections, 0 when not set
 * @param timeouts       the frontend-side timeouts
 * @param http           what the frontend does in mode http
 */
public record Frontend(String name, int line, Mode mode, List<Bind> binds, String defaultBackend,
        List<BackendRule> useBackends, int maxconn, Timeouts timeouts, HttpSettings http) {

    public Frontend {
        binds = List.copyOf(binds);
        useBackends = List.copyOf(useBackends);
    }
}
