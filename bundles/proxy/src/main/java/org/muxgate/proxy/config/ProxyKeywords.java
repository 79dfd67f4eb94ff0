package org.muxgate.proxy.config;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The keywords of {@code defaults}, {@code frontend}, {@code backend} and
 * {@code listen} sections, with the sections HAProxy's manual allows each in,
 * and the sub-tables for {@code option}, {@code server} options and
 * {@code bind} options.
 */
final class ProxyKeywords {

    private static final Set<SectionType> ALL = SectionType.proxies(true, true);
    private static final Set<SectionType> FRONTEND_SIDE = SectionType.proxies(true, false);
    private static final Set<SectionType> BACKEND_SIDE = SectionType.proxies(false, true);
    private static final Set<SectionType> FRONTENDS = Set.of(SectionType.FRONTEND, SectionType.LISTEN);
    private static final Set<SectionType> BACKENDS = Set.of(SectionType.BACKEND, SectionType.LISTEN);
    /** Rules and ACLs: HAProxy 2.6 accepts them in named defaults sections only, which Muxgate does not have. */
    private static final Set<SectionType> PROXIES = EnumSet.of(SectionType.FRONTEND, SectionType.BACKEND,
            SectionType.LISTEN);

    /** The first line of an errorfile: {@code HTTP/1.x CODE}, then a reason or the end of the line. */
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] [1-9][0-9][0-9]([ \\t][^\\r\\n]*)?\\r?\\n");

    static final KeywordTable<ProxyBuilder> KEYWORDS = new KeywordTable<ProxyBuilder>("keyword")
            .add("mode", ALL,
                    (args, proxy) -> proxy.mode = Values.token(args.next("mode"), "mode", Mode.values(), Mode::token))
            .add("bind", FRONTENDS, ProxyKeywords::bind)
            .add("default_backend", FRONTEND_SIDE, ProxyKeywords::defaultBackend)
            .add("use_backend", FRONTENDS, ProxyKeywords::useBackend)
            .add("maxconn", FRONTEND_SIDE,
                    (args, proxy) -> proxy.maxconn = args.nextInt("maxconn", 0, Integer.MAX_VALUE))
            .add("server", BACKENDS, ProxyKeywords::server)
            .add("balance", BACKEND_SIDE,
                    (args, proxy) -> proxy.balance = Values.token(args.next("algorithm"), "balance algorithm",
                            BalanceAlgorithm.values(), BalanceAlgorithm::token))
            .add("http-reuse", BACKEND_SIDE,
                    (args, proxy) -> proxy.reuse = Values.token(args.next("reuse mode"), "http-reuse mode",
                            HttpReuse.values(), HttpReuse::token))
            .add("retries", BACKEND_SIDE,
                    (args, proxy) -> proxy.retries = args.nextInt("retry count", 0, Integer.MAX_VALUE))
            .add("timeout", ALL, ProxyKeywords::timeout)
            .addNegatable("option", ALL, ProxyKeywords::option)
            .add("errorfile", ALL, ProxyKeywords::errorfile)
            .add("acl", PROXIES, AclParser::acl)
            .add("http-request", PROXIES, HttpRuleParser::request)
            .add("http-response", PROXIES, HttpRuleParser::response);

    /** {@code option NAME}: each option has its own sections. */
    private static final KeywordTable<ProxyBuilder> OPTIONS = new KeywordTable<ProxyBuilder>("option")
            .addNegatable("redispatch", BACKEND_SIDE, (args, proxy) -> proxy.redispatch = !args.negated())
            .addNegatable("forwardfor", ALL, ProxyKeywords::forwardFor)
            .addNegatable("httplog", FRONTEND_SIDE, ProxyKeywords::httplog)
            .addNegatable(HttpConnectionMode.KEEP_ALIVE.option(), ALL,
                    (args, proxy) -> connectionMode(args, proxy, HttpConnectionMode.KEEP_ALIVE))
            .addNegatable(HttpConnectionMode.SERVER_CLOSE.option(), ALL,
                    (args, proxy) -> connectionMode(args, proxy, HttpConnectionMode.SERVER_CLOSE))
            .addNegatable(HttpConnectionMode.CLOSE.option(), ALL,
                    (args, proxy) -> connectionMode(args, proxy, HttpConnectionMode.CLOSE));

    /** The options after {@code server NAME ADDRESS}. */
    private static final KeywordTable<ServerOptions> SERVER_OPTIONS = new KeywordTable<ServerOptions>("server option")
            .add("weight", (args, server) -> server.weight = args.nextInt("weight", 0, Server.MAX_WEIGHT))
            .add("maxconn", (args, server) -> server.maxconn = args.nextInt("maxconn", 0, Integer.MAX_VALUE))
            .add("disabled", (args, server) -> server.disabled = true)
            .add("backup", (args, server) -> server.backup = true)
            .add("proto", (args, server) -> server.proto = args.next("protocol name"))
            .add("pool-max-conn", (args, server) -> server.poolMaxConn = args.nextInt("pool-max-conn", -1,
                    Integer.MAX_VALUE))
            .add("pool-purge-delay", (args, server) -> server.poolPurgeDelay = Values.time(
                    args.next("pool-purge-delay"), "pool-purge-delay"))
            .add("pool-low-conn", (args, server) -> server.poolLowConn = args.nextInt("pool-low-conn", 0,
                    Integer.MAX_VALUE));

    /** The options after {@code bind ADDRESSES}. */
    private static final KeywordTable<BindOptions> BIND_OPTIONS = new KeywordTable<BindOptions>("bind option")
            .add("proto", (args, bind) -> bind.proto = args.next("protocol name"));

    /** What the options of a server line set before the {@link Server} is made. */
    private static final class ServerOptions {
        int weight = Server.DEFAULT_WEIGHT;
        int maxconn;
        boolean disabled;
        boolean backup;
        String proto;
        int poolMaxConn = ServerPoolSettings.DEFAULT.maxConn();
        Duration poolPurgeDelay = ServerPoolSettings.DEFAULT.purgeDelay();
        int poolLowConn = ServerPoolSettings.DEFAULT.lowConn();
    }

    /** What the options of a bind line set before the {@link Bind} is made. */
    private static final class BindOptions {
        String proto;
    }

    private ProxyKeywords() {
    }

    /** {@code bind ADDR:PORT[,ADDR:PORT...] [options]} */
    private static void bind(Args args, ProxyBuilder proxy) throws ConfigArgException {
        String list = args.next("address");
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String address : list.split(",", -1)) {
            if (address.isEmpty()) {
                throw new ConfigArgException("empty address in '" + list + "'");
            }
            addresses.add(args.address(address, true));
        }
        BindOptions options = new BindOptions();
        parseOptions(args, BIND_OPTIONS, options);
        proxy.binds.add(new Bind(args.line(), addresses, options.proto));
    }

    /** {@code server NAME ADDR:PORT [options]} */
    private static void server(Args args, ProxyBuilder proxy) throws ConfigArgException {
        String name = Values.name(args.next("server name"), "server name");
        InetSocketAddress address = args.address(args.next("address"), false);
        ServerOptions options = new ServerOptions();
        parseOptions(args, SERVER_OPTIONS, options);
        proxy.addServer(new Server(name, args.line(), address, options.weight, options.maxconn,
                options.disabled, options.backup, options.proto,
                new ServerPoolSettings(options.poolMaxConn, options.poolPurgeDelay, options.poolLowConn)));
    }

    private static <T> void parseOptions(Args args, KeywordTable<T> options, T target) throws ConfigArgException {
        while (args.hasNext()) {
            options.get(args.next("option")).handler().parse(args, target);
        }
    }

    /** {@code default_backend NAME}; whether it exists is checked once the file is read. */
    private static void defaultBackend(Args args, ProxyBuilder proxy) throws ConfigArgException {
        proxy.defaultBackend = args.next("backend name");
        proxy.defaultBackendLine = args.line();
    }

    /** {@code use_backend NAME [if|unless COND]} */
    private static void useBackend(Args args, ProxyBuilder proxy) throws ConfigArgException {
        String backend = args.next("backend name");
        proxy.useBackends.add(new BackendRule(backend, args.line(), AclParser.condition(args, proxy)));
    }

    /** {@code timeout NAME TIME}; each timeout belongs to the frontend side or the backend side. */
    private static void timeout(Args args, ProxyBuilder proxy) throws ConfigArgException {
        TimeoutKind kind = Values.token(args.next("timeout name"), "timeout", TimeoutKind.values(), TimeoutKind::token);
        String name = "'timeout " + kind.token() + "'";
        Set<SectionType> allowed = SectionType.proxies(kind.appliesToFrontend(), kind.appliesToBackend());
        if (!allowed.contains(proxy.section)) {
            throw new ConfigArgException(name + " " + SectionType.notAllowed(proxy.section, allowed));
        }
        Duration value = Values.time(args.next("time for " + name), name);
        // 0 means no timeout in HAProxy; it cancels one set by defaults.
        if (value.isZero()) {
            proxy.timeouts.remove(kind);
        } else {
            proxy.timeouts.put(kind, value);
        }
    }

    /** {@code option forwardfor [except NETWORK] [header NAME] [if-none]}, in any order; {@code no} removes it. */
    private static void forwardFor(Args args, ProxyBuilder proxy) throws ConfigArgException {
        if (args.negated()) {
            proxy.forwardFor = null;
            return;
        }
        ForwardFor forwardFor = new ForwardFor(null, ForwardFor.DEFAULT_HEADER, false);
        while (args.hasNext()) {
            String option = args.next("option");
            forwardFor = switch (option) {
                case "except" -> new ForwardFor(AddressParser.network(args.next("network")), forwardFor.headerName(),
                        forwardFor.ifNone());
                case "header" -> new ForwardFor(forwardFor.except(), Values.headerName(args.next("header name")),
                        forwardFor.ifNone());
                case "if-none" -> new ForwardFor(forwardFor.except(), forwardFor.headerName(), true);
                default -> throw new ConfigArgException("unknown forwardfor option '" + option
                        + "' (expected except, header, if-none)");
            };
        }
        proxy.forwardFor = forwardFor;
    }

    /** {@code [no] option httplog [clf]} */
    private static void httplog(Args args, ProxyBuilder proxy) throws ConfigArgException {
        proxy.httplog = !args.negated();
        proxy.httplogClf = false;
        if (proxy.httplog && args.hasNext()) {
            String format = args.next("log format");
            if (!format.equals("clf")) {
                throw new ConfigArgException("unexpected argument '" + format + "' (only 'clf' may follow 'httplog')");
            }
            proxy.httplogClf = true;
        }
    }

    /**
     * {@code option http-keep-alive|http-server-close|httpclose}: the last one wins.
     * {@code no} on the mode in effect returns to the default, as HAProxy clears its flag.
     */
    private static void connectionMode(Args args, ProxyBuilder proxy, HttpConnectionMode mode) {
        if (!args.negated()) {
            proxy.connectionMode = mode;
        } else if (proxy.connectionMode == mode) {
            proxy.connectionMode = HttpConnectionMode.KEEP_ALIVE;
        }
    }

    /**
     * {@code errorfile CODE FILE}: the file is a whole HTTP response, read now and
     * sent as it is; HAProxy checks that it starts with a status line and has an
     * end of headers, and so does Muxgate.
     */
    private static void errorfile(Args args, ProxyBuilder proxy) throws ConfigArgException {
        int status = HttpRuleParser.errorStatus(args.next("status code"), "errorfile");
        String name = args.next("file name");
        byte[] page = args.readFile(name, "errorfile");
        String text = new String(page, StandardCharsets.ISO_8859_1);
        if (!STATUS_LINE.matcher(text).lookingAt()) {
            throw new ConfigArgException("errorfile '" + name + "' does not start with an HTTP status line"
                    + " ('HTTP/1.x CODE REASON')");
        }
        if (!text.contains("\r\n\r\n") && !text.contains("\n\n")) {
            throw new ConfigArgException("errorfile '" + name + "' has no empty line after its headers");
        }
        proxy.errorfiles.put(status, page);
    }

    /** {@code [no] option NAME} */
    private static void option(Args args, ProxyBuilder proxy) throws ConfigArgException {
        String name = args.next("option name");
        KeywordTable.Keyword<ProxyBuilder> option = OPTIONS.get(name);
        try {
            option.checkUsable(proxy.section, args.negated());
        } catch (ConfigArgException e) {
            throw new ConfigArgException("'" + name + "' " + e.getMessage());
        }
        option.handler().parse(args, proxy);
    }
}
