package org.muxgate.proxy.engine;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.muxgate.api.http.AsciiSequence;
import org.muxgate.api.http.HttpMessage;
import org.muxgate.proxy.config.BackendRule;
import org.muxgate.proxy.config.ForwardFor;
import org.muxgate.proxy.config.Frontend;
import org.muxgate.proxy.config.HttpSettings;
import org.muxgate.proxy.rules.ErrorPages;
import org.muxgate.proxy.rules.HttpAction;
import org.muxgate.proxy.rules.HttpRule;

/**
 * The HTTP analyzers of one frontend, in HAProxy's order: on the request, the
 * frontend's {@code http-request} rules, its {@code use_backend} rules (else its
 * default backend), the chosen backend's {@code http-request} rules, then {@code
 * option forwardfor}; on the response, the backend's then the frontend's {@code
 * http-response} rules. A rule that answers ({@code deny}, {@code return}, {@code
 * redirect}) ends the analysis with a response of our own; {@code allow} ends its
 * rule set.
 *
 * <p>Rules see a request through a {@link MessageSample}, so conditions allocate
 * nothing. Header values are the configuration's literal strings.
 *
 * <p>Threads: any; immutable. Each call works on the caller's messages.
 */
final class HttpAnalyzers {

    private final Frontend frontend;
    private final HttpSettings settings;
    private final BackendRuntime defaultBackend;
    private final List<BackendRule> routes;
    /** The backend of each rule of {@link #routes}, at the same index. */
    private final BackendRuntime[] routeBackends;

    HttpAnalyzers(Frontend frontend, Map<String, BackendRuntime> backends) {
        this.frontend = frontend;
        this.settings = frontend.http();
        this.defaultBackend = frontend.defaultBackend() == null ? null : backends.get(frontend.defaultBackend());
        this.routes = frontend.useBackends();
        this.routeBackends = routes.stream().map(rule -> backends.get(rule.backend())).toArray(BackendRuntime[]::new);
    }

    /**
     * Analyzes a request head.
     *
     * @param reply empty, with a buffer: where a response of our own is written
     * @return the backend to forward to; null when {@code reply} holds the answer
     */
    BackendRuntime analyzeRequest(HttpMessage request, MessageSample sample, InetAddress client,
            String clientText, HttpMessage reply) {
        sample.of(request, client);
        if (applyRequestRules(settings, request, sample, reply)) {
            return null;
        }
        BackendRuntime backend = route(sample);
        if (backend == null) {
            // HAProxy answers 503 when no backend takes the request.
            errorResponse(503, null, reply, sample.view());
            return null;
        }
        HttpSettings backendSettings = backend.config.http();
        if (backendSettings != settings && applyRequestRules(backendSettings, request, sample, reply)) {
            return null;
        }
        if (!forwardFor(backendSettings.forwardFor() != null ? backendSettings.forwardFor() : settings.forwardFor(),
                request, client, clientText, sample)) {
            errorResponse(500, backend, reply, sample.view());
            return null;
        }
        return backend;
    }

    /**
     * @return the backend of the first {@code use_backend} rule whose condition holds,
     *         else the default backend, or null if there is none. A tcp frontend's
     *         sample has no request: only {@code src} can match there.
     */
    BackendRuntime route(MessageSample sample) {
        for (int i = 0; i < routes.size(); i++) {
            BackendRule rule = routes.get(i);
            if (rule.condition() == null || rule.condition().evaluate(sample)) {
                return routeBackends[i];
            }
        }
        return defaultBackend;
    }

    /** @return whether a rule answered: {@code reply} holds the response */
    private boolean applyRequestRules(HttpSettings rules, HttpMessage request, MessageSample sample,
            HttpMessage reply) {
        List<HttpRule> list = rules.requestRules();
        // Indexed: an iterator per request is garbage the JIT does not always remove.
        for (int i = 0; i < list.size(); i++) {
            HttpRule rule = list.get(i);
            if (!rule.applies(sample)) {
                continue;
            }
            HttpAction action = rule.action();
            if (action instanceof HttpAction.Allow) {
                return false;
            }
            if (action instanceof HttpAction.Deny deny) {
                pageResponse(rules.errorPages(), deny.status(), reply, sample.view());
                return true;
            }
            if (action instanceof HttpAction.Return answer) {
                toMessage(ByteBuffer.wrap(answer.response()), reply, sample.view());
                return true;
            }
            if (action instanceof HttpAction.Redirect redirect) {
                redirect(redirect, request, reply);
                return true;
            }
            if (!editHeaders(action, request, sample.view())) {
                // HAProxy's strict rewriting: a header that cannot be added fails the request.
                pageResponse(rules.errorPages(), 500, reply, sample.view());
                return true;
            }
        }
        return false;
    }

    /**
     * Applies the response rules of the backend, then of the frontend.
     *
     * @return false if a header could not be added (no room left in the buffer): as
     *         HAProxy's strict rewriting, the response is then replaced by a 500
     */
    boolean analyzeResponse(BackendRuntime backend, HttpMessage request, MessageSample sample, InetAddress client,
            HttpMessage response) {
        sample.of(request, client);
        return applyResponseRules(backend.config.http(), response, sample)
                && (backend.config.http() == settings || applyResponseRules(settings, response, sample));
    }

    /** @return false if a rewrite failed */
    private static boolean applyResponseRules(HttpSettings rules, HttpMessage response, MessageSample sample) {
        List<HttpRule> list = rules.responseRules();
        for (int i = 0; i < list.size(); i++) {
            HttpRule rule = list.get(i);
            if (rule.applies(sample)) {
                if (rule.action() instanceof HttpAction.Allow) {
                    return true;
                }
                if (!editHeaders(rule.action(), response, sample.view())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * {@code set-header}, {@code add-header}, {@code del-header}.
     *
     * @return false if a header could not be added: no room left in the buffer
     */
    private static boolean editHeaders(HttpAction action, HttpMessage message, AsciiSequence view) {
        if (action instanceof HttpAction.SetHeader set) {
            message.removeHeaders(set.name(), view);
            return message.insertHeader(set.name(), set.value());
        }
        if (action instanceof HttpAction.AddHeader add) {
            return message.insertHeader(add.name(), add.value());
        }
        if (action instanceof HttpAction.DelHeader delete) {
            message.removeHeaders(delete.name(), view);
        }
        return true;
    }

    /**
     * {@code option forwardfor}: adds the client's address in the header, unless the
     * client is in the {@code except} network, or {@code if-none} and the header is there.
     *
     * @return false if the header could not be added: no room left in the buffer
     */
    private static boolean forwardFor(ForwardFor option, HttpMessage request, InetAddress client,
            String clientText, MessageSample sample) {
        if (option == null || client == null) {
            return true;
        }
        if (option.except() != null && option.except().contains(client)) {
            return true;
        }
        if (option.ifNone() && request.findHeader(option.headerName(), -1, sample.view()) >= 0) {
            return true;
        }
        return request.insertHeader(option.headerName(), clientText);
    }

    private static void redirect(HttpAction.Redirect redirect, HttpMessage request, HttpMessage reply) {
        int line = request.startLine();
        AsciiSequence uri = request.path(line, new AsciiSequence(), true);
        AsciiSequence host = new AsciiSequence();
        int hostHeader = request.findHeader("host", -1, host);
        if (hostHeader >= 0) {
            request.value(hostHeader, host);
        } else {
            request.authority(line, host);
        }
        // Redirects are answered without a pooled buffer: the response is small, its size known.
        ByteBuffer scratch = ByteBuffer.allocate(256 + redirect.value().length() + host.length() + uri.length());
        if (!redirect.write(scratch, host, uri)) {
            pageResponse(ErrorPages.defaults(), 500, reply, host);
            return;
        }
        toMessage(scratch.flip(), reply, host);
    }

    /**
     * Our error page of {@code status}: the backend's {@code errorfile} once a backend
     * was chosen and has one, else the frontend's, else HAProxy's, as HAProxy picks it.
     *
     * @param backend the backend of the exchange, or null before routing
     */
    void errorResponse(int status, BackendRuntime backend, HttpMessage into, AsciiSequence view) {
        ErrorPages backendPages = backend == null ? null : backend.config.http().errorPages();
        boolean fromBackend = backendPages != null && backendPages.hasErrorfile(status);
        pageResponse(fromBackend ? backendPages : settings.errorPages(), status, into, view);
    }

    /** The bytes of an error page, as {@link org.muxgate.api.http.HttpSettings#errorPage}. */
    byte[] errorPage(int status) {
        return settings.errorPages().page(status);
    }

    private static void pageResponse(ErrorPages pages, int status, HttpMessage into, AsciiSequence view) {
        toMessage(ByteBuffer.wrap(pages.page(status)), into, view);
        // An error ends the client connection, as HAProxy's pages say.
        into.setFlags(HttpMessage.F_CLOSE);
    }

    private static void toMessage(ByteBuffer raw, HttpMessage into, AsciiSequence view) {
        into.reset();
        if (!RawResponse.toMessage(raw, into, view)) {
            // Only a page larger than tune.bufsize gets here; the configuration refuses those.
            throw new IllegalStateException("a configured response does not fit in a buffer");
        }
    }

    @Override
    public String toString() {
        return "http analyzers of frontend " + frontend.name();
    }
}
