package org.muxgate.proxy.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
            .add("retries", BACKEND_SIDE,
                    (args, proxy) -> proxy.retries = args.nextInt("retry count", 0, Integer.MAX_VALUE))
            .add("timeout", ALL, ProxyKeywords::timeout)
            .addNegatable("option", ALL, ProxyKeywords::option);

    /** {@code option NAME}: each option has its own sections. */
    private static final KeywordTable<ProxyBuilder> OPTIONS = new KeywordTable<ProxyBuilder>("option")
            .addNegatable("redispatch", BACKEND_SIDE, (args, proxy) -> proxy.redispatch = !args.negated());

    /** The options after {@code server NAME ADDRESS}. */
    private static final KeywordTable<ServerOptions> SERVER_OPTIONS = new KeywordTable<ServerOptions>("server option")
            .add("weight", (args, server) -> server.weight = args.nextInt("weight", 0, Server.MAX_WEIGHT))
            .add("maxconn", (args, server) -> server.maxconn = args.nextInt("maxconn", 0, Integer.MAX_VALUE))
            .add("disabled", (args, server) -> server.disabled = true)
            .add("backup", (args, server) -> server.backup = true)
            .add("proto", (args, server) -> server.proto = args.next("protocol name"));

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
                options.disabled, options.backup, options.proto));
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

    /** {@code use_backend NAME}; the {@code if}/{@code unless} conditions will come with ACLs. */
    private static void useBackend(Args args, ProxyBuilder proxy) throws ConfigArgException {
        String backend = args.next("backend name");
        if (args.hasNext()) {
            String word = args.next("condition");
            if (word.equals("if") || word.equals("unless")) {
                throw new ConfigArgException("conditions not supported yet ('" + word + "')");
            }
            throw new ConfigArgException("unexpected argument '" + word + "' (only 'if' or 'unless' may follow the backend name)");
        }
        proxy.useBackends.add(new BackendRule(backend, args.line()));
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
