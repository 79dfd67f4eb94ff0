package org.muxgate.proxy.config;

import java.util.List;

import org.muxgate.proxy.rules.ErrorPages;
import org.muxgate.proxy.rules.HttpRule;

/**
 * What a frontend or a backend does in {@code mode http}; in {@code mode tcp}
 * these settings are ignored (the parser warns when some are set). A listen
 * section's rules are on its frontend only: as HAProxy, they run once for a
 * transaction that stays within that section.
 *
 * @param connectionMode what happens to connections between transactions
 * @param forwardFor     {@code option forwardfor}, or null
 * @param httplog        {@code option httplog}; always false on a backend
 * @param httplogClf     {@code option httplog clf}: the common log format
 * @param errorPages     HAProxy's pages with this proxy's {@code errorfile}s
 * @param requestRules   the {@code http-request} rules in order
 * @param responseRules  the {@code http-response} rules in order
 */
public record HttpSettings(HttpConnectionMode connectionMode, ForwardFor forwardFor, boolean httplog,
        boolean httplogClf, ErrorPages errorPages, List<HttpRule> requestRules, List<HttpRule> responseRules) {

    public HttpSettings {
        requestRules = List.copyOf(requestRules);
        responseRules = List.copyOf(responseRules);
    }
}
