package org.muxgate.proxy.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.muxgate.proxy.rules.AclExpression;
import org.muxgate.proxy.rules.ErrorPages;
import org.muxgate.proxy.rules.HttpRule;

/**
 * A {@code defaults}, {@code frontend}, {@code backend} or {@code listen} section
 * being parsed. A proxy starts as a copy of the defaults section in effect and
 * its own lines override that.
 */
final class ProxyBuilder {

    /** HAProxy's default number of connection retries. */
    private static final int DEFAULT_RETRIES = 3;

    final SectionType section;
    final String name;
    final int line;

    Mode mode = Mode.TCP;
    String defaultBackend;
    int defaultBackendLine;
    int maxconn;
    Balance balance = Balance.DEFAULT;
    int retries = DEFAULT_RETRIES;
    boolean redispatch;
    HttpReuse reuse = HttpReuse.SAFE;
    /** {@code option httpchk}, null for connect checks; {@code http-check expect} replaces its rule. */
    HttpCheck httpCheck;
    final Map<TimeoutKind, Duration> timeouts = new EnumMap<>(TimeoutKind.class);
    final List<Bind> binds = new ArrayList<>();
    final List<BackendRule> useBackends = new ArrayList<>();
    final List<Server> servers = new ArrayList<>();

    HttpConnectionMode connectionMode = HttpConnectionMode.KEEP_ALIVE;
    ForwardFor forwardFor;
    boolean httplog;
    boolean httplogClf;
    final Map<Integer, byte[]> errorfiles = new HashMap<>();
    /** The expressions of each ACL, one per line; a defaults section has none. */
    final Map<String, List<AclExpression>> acls = new HashMap<>();
    /** The line of the first rule using each ACL: no line may extend it after that. */
    final Map<String, Integer> aclUses = new HashMap<>();
    final List<HttpRule> requestRules = new ArrayList<>();
    final List<HttpRule> responseRules = new ArrayList<>();

    private ProxyBuilder(SectionType section, String name, int line) {
        this.section = section;
        this.name = name;
        this.line = line;
    }

    /** A defaults section: it starts from HAProxy's built-in values, not from the previous one. */
    static ProxyBuilder defaults(String name, int line) {
        return new ProxyBuilder(SectionType.DEFAULTS, name, line);
    }

    /** A proxy section starting with what this defaults section set. */
    ProxyBuilder inherit(SectionType type, String proxyName, int proxyLine) {
        ProxyBuilder proxy = new ProxyBuilder(type, proxyName, proxyLine);
        proxy.mode = mode;
        proxy.defaultBackend = defaultBackend;
        proxy.defaultBackendLine = defaultBackendLine;
        proxy.maxconn = maxconn;
        proxy.balance = balance;
        proxy.retries = retries;
        proxy.redispatch = redispatch;
        proxy.reuse = reuse;
        proxy.httpCheck = httpCheck;
        proxy.timeouts.putAll(timeouts);
        proxy.connectionMode = connectionMode;
        proxy.forwardFor = forwardFor;
        proxy.httplog = httplog;
        proxy.httplogClf = httplogClf;
        proxy.errorfiles.putAll(errorfiles);
        return proxy;
    }

    void addServer(Server server) throws ConfigArgException {
        for (Server other : servers) {
            if (other.name().equals(server.name())) {
                throw new ConfigArgException("duplicate server name '" + server.name() + "' in " + this
                        + " (first declared at line " + other.line() + ")");
            }
        }
        servers.add(server);
    }

    /**
     * The backend that takes what no rule routes: the one named by
     * {@code default_backend}, or for a listen section its own.
     */
    String effectiveDefaultBackend() {
        return defaultBackend == null && section == SectionType.LISTEN ? name : defaultBackend;
    }

    Frontend toFrontend() {
        return new Frontend(name, line, mode, binds.stream().map(bind -> bind.forMode(mode)).toList(),
                effectiveDefaultBackend(), useBackends, maxconn,
                timeouts(TimeoutKind::appliesToFrontend), new HttpSettings(connectionMode, forwardFor, httplog,
                        httplogClf, ErrorPages.with(errorfiles), requestRules, responseRules));
    }

    /** A listen section's rules go to its frontend only: HAProxy runs them once per transaction. */
    Backend toBackend() {
        boolean rules = section != SectionType.LISTEN;
        return new Backend(name, line, mode, effectiveBalance(), servers, retries, redispatch,
                timeouts(TimeoutKind::appliesToBackend), new HttpSettings(connectionMode, forwardFor, false, false,
                        ErrorPages.with(errorfiles), rules ? requestRules : List.of(),
                        rules ? responseRules : List.of()), reuse, httpCheck);
    }

    /** HAProxy falls back to round robin for a layer-7 hash in mode tcp, with a warning ({@link ProxyChecks}). */
    Balance effectiveBalance() {
        return mode == Mode.TCP && balance.algorithm().needsHttp()
                ? balance.withLine(Balance.of(BalanceAlgorithm.ROUNDROBIN))
                : balance;
    }

    private Timeouts timeouts(Predicate<TimeoutKind> side) {
        return new Timeouts(timeouts.entrySet().stream().filter(entry -> side.test(entry.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /** As messages name it: {@code backend 'app'}. */
    @Override
    public String toString() {
        return section + " '" + name + "'";
    }
}
