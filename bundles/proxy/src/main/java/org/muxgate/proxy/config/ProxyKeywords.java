package org.muxgate.proxy.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.muxgate.transport.tls.ClientTlsContext;
import org.muxgate.transport.tls.ClientTlsOptions;
import org.muxgate.transport.tls.PemBundle;
import org.muxgate.transport.tls.ServerTlsContext;
import org.muxgate.transport.tls.ServerTlsOptions;
import org.muxgate.transport.tls.TlsConfigException;

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

    /** {@code ca-file @system-ca}: the system's trust store (the JDK's) rather than a file. */
    private static final String SYSTEM_CA = "@system-ca";

    static final KeywordTable<ProxyBuilder> KEYWORDS = new KeywordTable<ProxyBuilder>("keyword")
            .add("mode", ALL,
                    (args, proxy) -> proxy.mode = Values.token(args.next("mode"), "mode", Mode.values(), Mode::token))
            .add("bind", FRONTENDS, ProxyKeywords::bind)
            .add("default_backend", FRONTEND_SIDE, ProxyKeywords::defaultBackend)
            .add("use_backend", FRONTENDS, ProxyKeywords::useBackend)
            .add("maxconn", FRONTEND_SIDE,
                    (args, proxy) -> proxy.maxconn = args.nextInt("maxconn", 0, Integer.MAX_VALUE))
            .add("server", BACKENDS, ProxyKeywords::server)
            .add("balance", BACKEND_SIDE, (args, proxy) -> proxy.balance = proxy.balance.withLine(balance(args)))
            .add("hash-type", BACKEND_SIDE, (args, proxy) -> proxy.balance = proxy.balance.withHashType(hashType(args)))
            .add("http-reuse", BACKEND_SIDE,
                    (args, proxy) -> proxy.reuse = Values.token(args.next("reuse mode"), "http-reuse mode",
                            HttpReuse.values(), HttpReuse::token))
            .add("http-check", BACKEND_SIDE, ProxyKeywords::httpCheck)
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
            .addNegatable("allbackups", BACKEND_SIDE,
                    (args, proxy) -> proxy.balance = proxy.balance.withAllBackups(!args.negated()))
            .addNegatable("httpchk", BACKEND_SIDE, ProxyKeywords::httpchk)
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
            .add("maxqueue", (args, server) -> server.maxqueue = args.nextInt("maxqueue", 0, Integer.MAX_VALUE))
            .add("slowstart", (args, server) -> server.slowstart = Values.time(args.next("slowstart"), "slowstart"))
            .add("on-marked-down", (args, server) -> server.shutdownOnDown = onMarked(args, "on-marked-down",
                    "shutdown-sessions"))
            .add("on-marked-up", (args, server) -> server.shutdownBackupsOnUp = onMarked(args, "on-marked-up",
                    "shutdown-backup-sessions"))
            .add("disabled", (args, server) -> server.disabled = true)
            .add("backup", (args, server) -> server.backup = true)
            .add("proto", (args, server) -> server.proto = args.next("protocol name"))
            .add("pool-max-conn", (args, server) -> server.poolMaxConn = args.nextInt("pool-max-conn", -1,
                    Integer.MAX_VALUE))
            .add("pool-purge-delay", (args, server) -> server.poolPurgeDelay = Values.time(
                    args.next("pool-purge-delay"), "pool-purge-delay"))
            .add("pool-low-conn", (args, server) -> server.poolLowConn = args.nextInt("pool-low-conn", 0,
                    Integer.MAX_VALUE))
            .add("check", (args, server) -> server.check = true)
            .add("inter", (args, server) -> server.inter = interval(args, "inter"))
            .add("fastinter", (args, server) -> server.fastInter = interval(args, "fastinter"))
            .add("downinter", (args, server) -> server.downInter = interval(args, "downinter"))
            .add("rise", (args, server) -> server.rise = args.nextInt("rise", 1, Integer.MAX_VALUE))
            .add("fall", (args, server) -> server.fall = args.nextInt("fall", 1, Integer.MAX_VALUE))
            .add("port", (args, server) -> server.checkPort = args.nextInt("port", 1, 65535))
            .add("addr", (args, server) -> server.checkAddress = checkAddress(args.next("address")))
            .add("observe", (args, server) -> server.observe = Values.token(args.next("observe mode"),
                    "observe mode", ServerCheck.Observe.values(), ServerCheck.Observe::token))
            .add("error-limit", (args, server) -> server.errorLimit = args.nextInt("error-limit", 1,
                    Integer.MAX_VALUE))
            .add("on-error", (args, server) -> server.onError = Values.token(args.next("on-error action"),
                    "on-error action", ServerCheck.OnError.values(), ServerCheck.OnError::token))
            .add("ssl", (args, server) -> server.ssl = true)
            .add("check-ssl", (args, server) -> server.checkSsl = true)
            .add("verify", (args, server) -> {
                String mode = args.next("verify mode");
                server.tls = tls(() -> server.tls.withVerify(mode));
            })
            .add("ca-file", (args, server) -> {
                String file = args.next("CA file");
                server.systemCa = file.equals(SYSTEM_CA);
                server.tls = server.systemCa ? server.tls : server.tls.withCaFile(Path.of(file));
            })
            .add("sni", (args, server) -> {
                String name = sniName(args.next("sni expression"));
                server.tls = tls(() -> server.tls.withSni(name));
            })
            .add("alpn", (args, server) -> {
                String list = args.next("protocol list");
                server.tls = tls(() -> server.tls.withAlpn(list));
            });

    /** The options after {@code bind ADDRESSES}. */
    private static final KeywordTable<BindOptions> BIND_OPTIONS = new KeywordTable<BindOptions>("bind option")
            .add("proto", (args, bind) -> bind.proto = args.next("protocol name"))
            .add("ssl", (args, bind) -> bind.ssl = true)
            .add("crt", (args, bind) -> {
                Path file = Path.of(args.next("certificate file"));
                bind.certificates.add(tls(() -> PemBundle.load(file)));
            })
            .add("alpn", (args, bind) -> {
                String list = args.next("protocol list");
                bind.tls = tls(() -> bind.tls.withAlpn(list));
                bind.alpnSet = true;
            })
            .add("ssl-min-ver", (args, bind) -> {
                String version = args.next("TLS version");
                bind.tls = tls(() -> bind.tls.withMinVersion(version));
            })
            .add("ciphers", (args, bind) -> {
                String list = args.next("cipher list");
                bind.tls = tls(() -> bind.tls.withCiphers(list));
            })
            .add("ciphersuites", (args, bind) -> {
                String list = args.next("cipher suite list");
                bind.tls = tls(() -> bind.tls.withCipherSuites(list));
            });

    /** What the options of a server line set before the {@link Server} is made. */
    private static final class ServerOptions {
        int weight = Server.DEFAULT_WEIGHT;
        int maxconn;
        int maxqueue;
        Duration slowstart = Duration.ZERO;
        boolean shutdownOnDown;
        boolean shutdownBackupsOnUp;
        boolean disabled;
        boolean backup;
        String proto;
        int poolMaxConn = ServerPoolSettings.DEFAULT.maxConn();
        Duration poolPurgeDelay = ServerPoolSettings.DEFAULT.purgeDelay();
        int poolLowConn = ServerPoolSettings.DEFAULT.lowConn();
        boolean check;
        Duration inter = ServerCheck.NONE.inter();
        /** Null until set: {@code fastinter} and {@code downinter} default to {@code inter}. */
        Duration fastInter;
        Duration downInter;
        int rise = ServerCheck.NONE.rise();
        int fall = ServerCheck.NONE.fall();
        int checkPort;
        InetAddress checkAddress;
        ServerCheck.Observe observe = ServerCheck.NONE.observe();
        int errorLimit = ServerCheck.NONE.errorLimit();
        ServerCheck.OnError onError = ServerCheck.NONE.onError();
        boolean ssl;
        boolean checkSsl;
        boolean systemCa;
        ClientTlsOptions tls = ClientTlsOptions.DEFAULTS;

        ServerCheck check() {
            return new ServerCheck(check, inter, fastInter == null ? inter : fastInter,
                    downInter == null ? inter : downInter, rise, fall, checkPort, checkAddress, observe, errorLimit,
                    onError);
        }
    }

    /** What the options of a bind line set before the {@link Bind} is made. */
    private static final class BindOptions {
        String proto;
        boolean ssl;
        final List<PemBundle> certificates = new ArrayList<>();
        ServerTlsOptions tls = ServerTlsOptions.DEFAULTS;
        boolean alpnSet;
    }

    /** A step of the TLS settings, whose errors are the line's. */
    @FunctionalInterface
    private interface TlsStep<T> {
        T apply() throws TlsConfigException;
    }

    private static <T> T tls(TlsStep<T> step) throws ConfigArgException {
        try {
            return step.apply();
        } catch (TlsConfigException e) {
            throw new ConfigArgException(e.getMessage());
        }
    }

    /** {@code sni str(NAME)}: HAProxy takes a sample expression; Muxgate, a fixed name. */
    private static String sniName(String expression) throws ConfigArgException {
        if (expression.startsWith("str(") && expression.endsWith(")") && expression.length() > 5) {
            return expression.substring(4, expression.length() - 1);
        }
        throw new ConfigArgException("sni '" + expression + "': only a fixed name, str(NAME), is supported");
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
        ServerTlsContext tls = null;
        if (options.ssl) {
            if (options.certificates.isEmpty()) {
                throw new ConfigArgException("'ssl' needs a 'crt FILE': a PEM file with the certificate chain"
                        + " and its private key");
            }
            tls = tls(() -> ServerTlsContext.create(options.certificates, options.tls));
        } else if (!options.certificates.isEmpty() || !options.tls.equals(ServerTlsOptions.DEFAULTS)) {
            throw new ConfigArgException("'crt', 'alpn', 'ssl-min-ver', 'ciphers' and 'ciphersuites' need 'ssl'");
        }
        proxy.binds.add(new Bind(args.line(), addresses, options.proto, tls, tls != null && !options.alpnSet));
    }

    /** {@code server NAME ADDR:PORT [options]} */
    private static void server(Args args, ProxyBuilder proxy) throws ConfigArgException {
        String name = Values.name(args.next("server name"), "server name");
        InetSocketAddress address = args.address(args.next("address"), false);
        ServerOptions options = new ServerOptions();
        parseOptions(args, SERVER_OPTIONS, options);
        if (options.observe != ServerCheck.Observe.NONE && !options.check) {
            throw new ConfigArgException("'observe' needs 'check' on server '" + name
                    + "': errors are acted on through its health checks");
        }
        ClientTlsContext tls = null;
        if (options.ssl || options.checkSsl) {
            if (options.tls.verify() && options.tls.caFile().isEmpty() && !options.systemCa) {
                throw new ConfigArgException("server '" + name + "': 'verify required' is the default but no"
                        + " 'ca-file' is given: name one ('" + SYSTEM_CA + "' for the system's), or set"
                        + " 'verify none' where the network is trusted");
            }
            ClientTlsOptions settings = options.tls;
            tls = tls(() -> ClientTlsContext.create(settings));
        } else if (!options.tls.equals(ClientTlsOptions.DEFAULTS) || options.systemCa) {
            throw new ConfigArgException("'verify', 'ca-file', 'sni' and 'alpn' need 'ssl' or 'check-ssl'");
        }
        boolean checksInherit = options.checkPort == 0 && options.checkAddress == null;
        proxy.addServer(new Server(name, args.line(), address, options.weight, options.maxconn,
                options.disabled, options.backup, options.proto,
                new ServerPoolSettings(options.poolMaxConn, options.poolPurgeDelay, options.poolLowConn),
                options.check(), new ServerLimits(options.maxqueue, options.slowstart, options.shutdownOnDown,
                        options.shutdownBackupsOnUp), options.ssl ? tls : null,
                options.checkSsl || (options.ssl && checksInherit) ? tls : null));
    }

    /** {@code on-marked-down ACTION} and {@code on-marked-up ACTION}: HAProxy has one action for each. */
    private static boolean onMarked(Args args, String keyword, String action) throws ConfigArgException {
        String word = args.next(keyword + " action");
        if (!word.equals(action)) {
            throw new ConfigArgException("unknown " + keyword + " action '" + word + "' (expected " + action + ")");
        }
        return true;
    }

    /**
     * {@code balance ALGORITHM [ARGUMENTS]}: {@code random[(DRAWS)]}, {@code hdr(NAME)},
     * {@code uri [whole] [len N] [depth N] [path-only]}, or a word without argument.
     */
    private static Balance balance(Args args) throws ConfigArgException {
        String word = args.next("algorithm");
        int open = word.indexOf('(');
        String name = open < 0 ? word : word.substring(0, open);
        String argument = null;
        if (open >= 0) {
            if (!word.endsWith(")")) {
                throw new ConfigArgException("missing ')' in balance algorithm '" + word + "'");
            }
            argument = word.substring(open + 1, word.length() - 1);
        }
        BalanceAlgorithm algorithm = Values.token(name, "balance algorithm", BalanceAlgorithm.values(),
                BalanceAlgorithm::token);
        if (algorithm == BalanceAlgorithm.HDR) {
            if (argument == null || argument.isEmpty()) {
                throw new ConfigArgException("'balance hdr' needs a header name: hdr(NAME)");
            }
            String header = Values.httpToken(argument, "header name").toLowerCase(java.util.Locale.ROOT);
            return new Balance(algorithm, header, false, 0, 0, false, Balance.DEFAULT_DRAWS, HashType.DEFAULT, false);
        }
        if (algorithm == BalanceAlgorithm.RANDOM && argument != null) {
            int draws;
            try {
                draws = Integer.parseInt(argument);
            } catch (NumberFormatException e) {
                draws = 0;
            }
            if (draws < 1) {
                throw new ConfigArgException("invalid number of draws '" + argument
                        + "' in 'random(DRAWS)' (expected a positive integer)");
            }
            return new Balance(algorithm, null, false, 0, 0, false, draws, HashType.DEFAULT, false);
        }
        if (argument != null) {
            throw new ConfigArgException("balance algorithm '" + name + "' takes no argument in parentheses");
        }
        if (algorithm != BalanceAlgorithm.URI) {
            return Balance.of(algorithm);
        }
        boolean whole = false;
        boolean pathOnly = false;
        int length = 0;
        int depth = 0;
        while (args.hasNext()) {
            String option = args.next("uri option");
            switch (option) {
                case "whole" -> whole = true;
                case "path-only" -> pathOnly = true;
                case "len" -> length = args.nextInt("len", 1, Integer.MAX_VALUE);
                case "depth" -> depth = args.nextInt("depth", 1, Integer.MAX_VALUE);
                default -> throw new ConfigArgException("unknown 'balance uri' option '" + option
                        + "' (expected whole, len, depth, path-only)");
            }
        }
        return new Balance(algorithm, null, whole, length, depth, pathOnly, Balance.DEFAULT_DRAWS, HashType.DEFAULT,
                false);
    }

    /** {@code hash-type map-based|consistent [sdbm|djb2] [avalanche]} */
    private static HashType hashType(Args args) throws ConfigArgException {
        String method = args.next("hash method");
        boolean consistent = switch (method) {
            case "map-based" -> false;
            case "consistent" -> true;
            default -> throw new ConfigArgException("unknown hash method '" + method
                    + "' (expected map-based, consistent)");
        };
        HashFunction function = HashFunction.SDBM;
        if (args.hasNext() && !"avalanche".equals(args.peek())) {
            function = Values.token(args.next("hash function"), "hash function", HashFunction.values(),
                    HashFunction::token);
        }
        boolean avalanche = false;
        if (args.hasNext()) {
            String modifier = args.next("hash modifier");
            if (!modifier.equals("avalanche")) {
                throw new ConfigArgException("unknown hash modifier '" + modifier + "' (expected avalanche)");
            }
            avalanche = true;
        }
        return new HashType(consistent, function, avalanche);
    }

    /** A check interval: HAProxy refuses 0, which would check without pause. */
    private static Duration interval(Args args, String what) throws ConfigArgException {
        Duration interval = Values.time(args.next(what), what);
        if (interval.isZero()) {
            throw new ConfigArgException("'" + what + "' must be greater than 0");
        }
        return interval;
    }

    /** {@code addr IP}: an address literal, the host to check instead of the server's. */
    private static InetAddress checkAddress(String text) throws ConfigArgException {
        ConfigArgException invalid = new ConfigArgException("invalid check address '" + text
                + "' (expected an IPv4 or IPv6 address)");
        if (text.indexOf('/') >= 0) {
            throw invalid;
        }
        try {
            return AddressParser.network(text).address();
        } catch (ConfigArgException e) {
            throw invalid;
        }
    }

    /** {@code option httpchk [METHOD] [URI] [VERSION]} (HAProxy's older forms with a URI only, too); {@code no} removes it. */
    private static void httpchk(Args args, ProxyBuilder proxy) throws ConfigArgException {
        if (args.negated()) {
            proxy.httpCheck = null;
            return;
        }
        List<String> words = new ArrayList<>();
        while (args.hasNext()) {
            words.add(args.next("httpchk argument"));
        }
        if (words.size() > 3) {
            throw new ConfigArgException("too many arguments to 'option httpchk' (expected [METHOD] [URI] [VERSION])");
        }
        HttpCheck defaults = HttpCheck.DEFAULT;
        // HAProxy: one argument is the URI; two are the method and the URI.
        String method = words.size() >= 2 ? Values.httpToken(words.get(0), "httpchk method") : defaults.method();
        String uri = words.isEmpty() ? defaults.uri() : words.get(words.size() >= 2 ? 1 : 0);
        String version = words.size() == 3 ? words.get(2) : defaults.version();
        if (!uri.startsWith("/") && !uri.equals("*")) {
            throw new ConfigArgException("invalid httpchk URI '" + uri + "' (expected a path starting with '/')");
        }
        Values.printable(uri, "httpchk URI");
        if (!version.equals("HTTP/1.0") && !version.equals("HTTP/1.1")) {
            throw new ConfigArgException("unsupported httpchk version '" + version + "' (expected HTTP/1.0 or HTTP/1.1)");
        }
        HttpCheck.Expect expect = proxy.httpCheck == null ? HttpCheck.Expect.DEFAULT : proxy.httpCheck.expect();
        proxy.httpCheck = new HttpCheck(method, uri, version, expect);
    }

    /**
     * {@code http-check expect [!] status CODES|rstatus REGEX|string TEXT}: the
     * one rule of HAProxy's http-check family Muxgate supports; it needs
     * {@code option httpchk}, which the file must set first.
     */
    private static void httpCheck(Args args, ProxyBuilder proxy) throws ConfigArgException {
        String action = args.next("http-check action");
        if (!action.equals("expect")) {
            throw new ConfigArgException("unsupported http-check action '" + action + "' (only 'expect' is supported)");
        }
        if (proxy.httpCheck == null) {
            throw new ConfigArgException("'http-check expect' needs 'option httpchk' before it");
        }
        String criterion = args.next("expect criterion");
        boolean negated = criterion.equals("!");
        if (negated) {
            criterion = args.next("expect criterion");
        }
        String value = args.next("value for 'http-check expect " + criterion + "'");
        HttpCheck.Expect expect = switch (criterion) {
            case "status" -> new HttpCheck.Expect(HttpCheck.Expect.Kind.STATUS, statusRanges(value), null, null,
                    negated);
            case "rstatus" -> new HttpCheck.Expect(HttpCheck.Expect.Kind.RSTATUS, null, regex(value), null, negated);
            case "string" -> new HttpCheck.Expect(HttpCheck.Expect.Kind.STRING, null, null, value, negated);
            default -> throw new ConfigArgException("unsupported http-check expect criterion '" + criterion
                    + "' (expected status, rstatus or string)");
        };
        if (args.hasNext()) {
            throw new ConfigArgException("unexpected argument '" + args.next("argument") + "' after '" + value + "'");
        }
        HttpCheck check = proxy.httpCheck;
        proxy.httpCheck = new HttpCheck(check.method(), check.uri(), check.version(), expect);
    }

    /** {@code 200}, {@code 200-399}, {@code 200,301-302}: inclusive ranges of status codes. */
    private static int[] statusRanges(String text) throws ConfigArgException {
        String[] parts = text.split(",", -1);
        int[] ranges = new int[parts.length * 2];
        for (int i = 0; i < parts.length; i++) {
            int dash = parts[i].indexOf('-');
            String low = dash < 0 ? parts[i] : parts[i].substring(0, dash);
            String high = dash < 0 ? parts[i] : parts[i].substring(dash + 1);
            ranges[2 * i] = Values.integer(low, "status code", 100, 999);
            ranges[2 * i + 1] = Values.integer(high, "status code", ranges[2 * i], 999);
        }
        return ranges;
    }

    private static Pattern regex(String text) throws ConfigArgException {
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new ConfigArgException("invalid regular expression '" + text + "': " + e.getDescription());
        }
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
