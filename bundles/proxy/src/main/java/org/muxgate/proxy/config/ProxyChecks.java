package org.muxgate.proxy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The checks that need the whole file: references between proxies, and missing settings. */
final class ProxyChecks {

    private ProxyChecks() {
    }

    /**
     * @param proxies  the frontend, backend and listen sections in file order
     * @param backends the backends and listen sections by name, the first one of each name
     */
    static void check(List<ProxyBuilder> proxies, Map<String, ProxyBuilder> backends, Diagnostics out) {
        for (ProxyBuilder proxy : proxies) {
            if (proxy.section.hasFrontend()) {
                checkFrontend(proxy, backends, out);
            }
            warnMissingTimeouts(proxy, out);
            if (proxy.mode == Mode.TCP) {
                warnHttpSettings(proxy, out);
                if (proxy.section.hasBackend() && proxy.balance.algorithm().needsHttp()) {
                    out.warning(proxy.line, "'" + proxy.section + "': " + proxy + " is in mode tcp: 'balance "
                            + proxy.balance.algorithm().token() + "' needs mode http; falling back to roundrobin");
                }
            }
        }
    }

    /** HAProxy warns too, and ignores them: they need HTTP messages. */
    private static void warnHttpSettings(ProxyBuilder proxy, Diagnostics out) {
        List<String> ignored = new ArrayList<>();
        if (!proxy.requestRules.isEmpty()) {
            ignored.add("'http-request'");
        }
        if (!proxy.responseRules.isEmpty()) {
            ignored.add("'http-response'");
        }
        if (proxy.forwardFor != null) {
            ignored.add("'option forwardfor'");
        }
        if (proxy.httplog && proxy.section.hasFrontend()) {
            ignored.add("'option httplog'");
        }
        if (!ignored.isEmpty()) {
            out.warning(proxy.line, "'" + proxy.section + "': " + proxy + " is in mode tcp: " + String.join(", ", ignored)
                    + " will be ignored (they require mode http)");
        }
    }

    private static void checkFrontend(ProxyBuilder proxy, Map<String, ProxyBuilder> backends, Diagnostics out) {
        if (proxy.binds.isEmpty()) {
            // HAProxy only warns, but a frontend listening nowhere is always a mistake.
            out.error(proxy.line, "'" + proxy.section + "': " + proxy + " has no 'bind' line");
        }
        if (proxy.defaultBackend != null) {
            if (proxy.section == SectionType.LISTEN && proxy.defaultBackend.equals(proxy.name)) {
                out.error(proxy.defaultBackendLine, "'default_backend': " + proxy + " uses itself as default backend (loop)");
            } else {
                checkTarget(proxy, proxy.defaultBackend, proxy.defaultBackendLine, "default_backend", backends, out);
            }
            if (!proxy.servers.isEmpty()) {
                out.warning(proxy.defaultBackendLine, "'default_backend': " + proxy
                        + " sends its traffic to backend '" + proxy.defaultBackend + "', its own servers will never be used");
            }
        }
        for (BackendRule rule : proxy.useBackends) {
            checkTarget(proxy, rule.backend(), rule.line(), "use_backend", backends, out);
        }
        if (proxy.effectiveDefaultBackend() == null && proxy.useBackends.isEmpty()) {
            out.warning(proxy.line, "'" + proxy.section + "': " + proxy
                    + " has no default_backend and no use_backend rule: its connections will be closed");
        }
    }

    private static void checkTarget(ProxyBuilder proxy, String name, int line, String keyword,
            Map<String, ProxyBuilder> backends, Diagnostics out) {
        ProxyBuilder target = backends.get(name);
        if (target == null) {
            out.error(line, "'" + keyword + "': " + proxy + " uses undefined backend '" + name + "'");
        } else if (proxy.mode == Mode.HTTP && target.mode == Mode.TCP) {
            // HAProxy refuses this one way only: a tcp frontend may use an http backend
            // (the connection is upgraded), an http frontend cannot hand its parsed
            // requests to a tcp backend.
            out.error(line, "'" + keyword + "': http " + proxy + " cannot use tcp " + target
                    + " declared at line " + target.line + " (mode mismatch)");
        }
    }

    /** HAProxy warns too: without these, a silent peer holds its connection forever. */
    private static void warnMissingTimeouts(ProxyBuilder proxy, Diagnostics out) {
        List<String> missing = new ArrayList<>();
        for (TimeoutKind kind : List.of(TimeoutKind.CLIENT, TimeoutKind.CONNECT, TimeoutKind.SERVER)) {
            boolean needed = kind.appliesToFrontend() ? proxy.section.hasFrontend() : proxy.section.hasBackend();
            if (needed && !proxy.timeouts.containsKey(kind)) {
                missing.add("'timeout " + kind.token() + "'");
            }
        }
        if (!missing.isEmpty()) {
            out.warning(proxy.line, "'" + proxy.section + "': " + proxy + " has no " + String.join(", ", missing)
                    + ": connections to silent peers will never expire");
        }
    }
}
