package org.muxgate.proxy.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a configuration file in HAProxy's format (the subset Muxgate supports)
 * into a {@link Configuration}, or reports all of its errors in a
 * {@link ConfigException}. See the package documentation for how it is organised.
 */
public final class ConfigParser {

    /** HAProxy sections that Muxgate does not have yet: one error, and their lines are skipped. */
    private static final Set<String> UNSUPPORTED_SECTIONS = Set.of("peers", "resolvers", "userlist", "mailers",
            "program", "http-errors", "ring", "cache", "log-forward", "crt-store", "traces");

    /** What the lines of the current section go to. */
    @FunctionalInterface
    private interface Section {
        void parse(Args args) throws ConfigArgException;
    }

    private static final Section SKIPPED = args -> { };

    private final Path file;
    /** Where the files that keywords name ({@code errorfile}...) are looked for. */
    private final Path directory;
    private final Map<String, String> env;
    private final AddressParser addresses;
    private final Diagnostics diagnostics;
    private final GlobalBuilder global = new GlobalBuilder();
    private final List<ProxyBuilder> proxies = new ArrayList<>();
    /** By name, to detect duplicates and resolve references; a listen section is in both. */
    private final Map<String, ProxyBuilder> frontends = new HashMap<>();
    private final Map<String, ProxyBuilder> backends = new HashMap<>();
    /** The defaults section in effect; HAProxy's built-in values until the first one. */
    private ProxyBuilder defaults = ProxyBuilder.defaults("", 0);
    /** Null before the first section header. */
    private Section section;

    private ConfigParser(Path file, Map<String, String> env, AddressParser.HostResolver resolver) {
        this.file = file;
        this.directory = file.toAbsolutePath().getParent();
        this.env = env;
        this.addresses = new AddressParser(resolver);
        this.diagnostics = new Diagnostics(file.toString());
    }

    /** Parses a file, with the process's environment for {@code "${VAR}"}. */
    public static Configuration parse(Path file) throws ConfigException {
        return parse(file, System.getenv());
    }

    /** Parses a file, expanding {@code "${VAR}"} from {@code env}. */
    public static Configuration parse(Path file, Map<String, String> env) throws ConfigException {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            String reason = e instanceof NoSuchFileException ? "no such file" : e.toString();
            throw new ConfigException(List.of(new Diagnostic(file.toString(), 0, "cannot read the file: " + reason)));
        }
        return parse(file, text, env, InetAddress::getByName);
    }

    /** Parses text as if read from {@code file}; tests give their own host names. */
    static Configuration parse(Path file, String text, Map<String, String> env, AddressParser.HostResolver resolver)
            throws ConfigException {
        ConfigParser parser = new ConfigParser(file, env, resolver);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            parser.parseLine(i + 1, lines[i]);
        }
        return parser.finish();
    }

    private void parseLine(int line, String text) {
        List<String> words;
        try {
            words = Tokenizer.split(text, env);
        } catch (ConfigArgException e) {
            diagnostics.error(line, e.getMessage());
            return;
        }
        boolean negated = !words.isEmpty() && words.get(0).equals("no");
        if (negated) {
            words = words.subList(1, words.size());
            if (words.isEmpty()) {
                diagnostics.error(line, "'no': missing keyword");
                return;
            }
        }
        if (words.isEmpty()) {
            return;
        }
        String keyword = words.get(0);
        if (keyword.isEmpty()) {
            diagnostics.error(line, "empty keyword (an unset environment variable?)");
            return;
        }
        try {
            checkNoEmptyArgument(words);
            Args args = new Args(words, line, negated, addresses, directory, () -> global.bufsize);
            SectionType type = SectionType.forKeyword(keyword);
            if (type != null && !negated) {
                startSection(type, args);
            } else if (UNSUPPORTED_SECTIONS.contains(keyword)) {
                section = SKIPPED;
                throw new ConfigArgException("section not supported yet");
            } else if (section == null) {
                throw new ConfigArgException("keyword outside any section (a global, defaults, frontend, backend"
                        + " or listen section must come first)");
            } else {
                section.parse(args);
            }
        } catch (ConfigArgException e) {
            diagnostics.error(line, "'" + keyword + "': " + e.getMessage());
        }
    }

    /**
     * An empty argument mostly comes from an unset variable in quotes; HAProxy 2.6
     * silently ignores the words after it, later versions refuse it.
     */
    private static void checkNoEmptyArgument(List<String> words) throws ConfigArgException {
        int empty = words.indexOf("");
        if (empty > 0) {
            throw new ConfigArgException("argument " + empty + " is empty (an unset environment variable?)");
        }
    }

    /**
     * Starts a section, then checks its header: a section with a bad header still
     * takes its lines, so that their errors are reported too.
     */
    private void startSection(SectionType type, Args args) throws ConfigArgException {
        if (type == SectionType.GLOBAL) {
            section = line -> dispatch(GlobalKeywords.KEYWORDS, global, SectionType.GLOBAL, line);
            args.expectEnd();
            return;
        }
        String name = args.hasNext() ? args.next("name") : "";
        ProxyBuilder proxy;
        if (type == SectionType.DEFAULTS) {
            proxy = ProxyBuilder.defaults(name, args.line());
            defaults = proxy;
        } else {
            proxy = defaults.inherit(type, name, args.line());
        }
        section = line -> dispatch(ProxyKeywords.KEYWORDS, proxy, type, line);

        if (type != SectionType.DEFAULTS) {
            if (name.isEmpty()) {
                // Its lines are checked, but the proxy itself is not: nothing can refer to it.
                throw new ConfigArgException("missing name");
            }
            // Kept even with a bad name, so that references to it do not add errors.
            proxies.add(proxy);
            register(proxy);
        }
        Values.name(name, type + " name");
        if (args.hasNext()) {
            String word = args.next("argument");
            throw new ConfigArgException(word.equals("from")
                    ? "'from' (inheriting a named defaults section) is not supported yet"
                    : "unexpected argument '" + word + "'" + (type.hasFrontend() ? " (addresses go on 'bind' lines)" : ""));
        }
    }

    /**
     * As in HAProxy, a name is unique among frontends and among backends, a listen
     * section being both; a frontend and a backend may share one.
     */
    private void register(ProxyBuilder proxy) throws ConfigArgException {
        ProxyBuilder clash = null;
        if (proxy.section.hasFrontend()) {
            clash = frontends.putIfAbsent(proxy.name, proxy);
        }
        if (proxy.section.hasBackend()) {
            ProxyBuilder backend = backends.putIfAbsent(proxy.name, proxy);
            clash = clash != null ? clash : backend;
        }
        if (clash != null) {
            throw new ConfigArgException(proxy + " has the same name as " + clash + " declared at line " + clash.line);
        }
    }

    private static <T> void dispatch(KeywordTable<T> table, T target, SectionType type, Args args)
            throws ConfigArgException {
        KeywordTable.Keyword<T> keyword = table.find(args.keyword());
        if (keyword == null) {
            Set<SectionType> elsewhere = sectionsAllowing(args.keyword());
            throw new ConfigArgException(elsewhere.isEmpty()
                    ? "unknown keyword in a " + type + " section"
                    : SectionType.notAllowed(type, elsewhere));
        }
        keyword.checkUsable(type, args.negated());
        keyword.handler().parse(args, target);
        args.expectEnd();
    }

    /** Where a keyword of another section's table may be used, to say so rather than "unknown". */
    private static Set<SectionType> sectionsAllowing(String name) {
        Set<SectionType> sections = EnumSet.noneOf(SectionType.class);
        for (KeywordTable<?> table : List.of(GlobalKeywords.KEYWORDS, ProxyKeywords.KEYWORDS)) {
            KeywordTable.Keyword<?> keyword = table.find(name);
            if (keyword != null) {
                sections.addAll(keyword.sections());
            }
        }
        return sections;
    }

    private Configuration finish() throws ConfigException {
        ProxyChecks.check(proxies, backends, diagnostics);
        if (diagnostics.hasErrors()) {
            throw new ConfigException(diagnostics.errors());
        }
        List<Frontend> frontendList = new ArrayList<>();
        List<Backend> backendList = new ArrayList<>();
        for (ProxyBuilder proxy : proxies) {
            if (proxy.section.hasFrontend()) {
                frontendList.add(proxy.toFrontend());
            }
            if (proxy.section.hasBackend()) {
                backendList.add(proxy.toBackend());
            }
        }
        return new Configuration(file, global.build(), frontendList, backendList, diagnostics.warnings());
    }
}
