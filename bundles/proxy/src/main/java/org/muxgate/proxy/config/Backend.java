package org.muxgate.proxy.config;

import java.util.List;

/**
 * A backend, from a {@code backend} section or the backend half of a
 * {@code listen} section, with the defaults in effect already applied.
 *
 * @param name       the section's name
 * @param line       the line of the section's header
 * @param mode       tcp or http
 * @param balance    the load-balancing algorithm and its settings
 * @param servers    in declaration order
 * @param retries    connection attempts after the first one fails (HAProxy's default is 3)
 * @param redispatch whether a retry may go to another server ({@code option redispatch})
 * @param timeouts   the backend-side timeouts
 * @param http       what the backend does in mode http
 * @param reuse      which idle server connections a stream may use ({@code http-reuse})
 * @param httpCheck  the request of its servers' health checks ({@code option httpchk}), or null for a
 *                   connect check
 */
public record Backend(String name, int line, Mode mode, Balance balance, List<Server> servers,
        int retries, boolean redispatch, Timeouts timeouts, HttpSettings http, HttpReuse reuse,
        HttpCheck httpCheck) {

    public Backend {
        servers = List.copyOf(servers);
    }
}
