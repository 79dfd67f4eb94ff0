package org.muxgate.proxy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.muxgate.proxy.rules.Acl;
import org.muxgate.proxy.rules.AclExpression;
import org.muxgate.proxy.rules.Condition;
import org.muxgate.proxy.rules.MatchMethod;
import org.muxgate.proxy.rules.Network;
import org.muxgate.proxy.rules.PatternMatcher;

/**
 * {@code acl} lines and the {@code if}/{@code unless} conditions of rules, as
 * HAProxy writes them:
 * <pre>
 * acl NAME CRITERION [-i] [-m METHOD] [--] VALUE...
 * ... if|unless [!]NAME [!]{ CRITERION [FLAGS] VALUE... } [|| | or] ...
 * </pre>
 * The criteria are {@code method}, {@code path}, {@code path_beg},
 * {@code path_end}, {@code path_sub}, {@code hdr(NAME)}, {@code hdr_beg(NAME)},
 * {@code hdr_end(NAME)}, {@code hdr_sub(NAME)}, {@code hdr_dom(NAME)} and
 * {@code src}. A condition may use the ACLs declared before it in its section,
 * and HAProxy's predefined ones that need no more than these criteria.
 */
final class AclParser {

    /** The part of the request a criterion looks at. */
    private enum Sample { METHOD, PATH, HEADER, SOURCE }

    /** @param method the default match method ({@code path_beg} is {@code beg}), null for {@code src} */
    private record Criterion(Sample sample, MatchMethod method) {
    }

    /** Sorted, for the error that lists them. */
    private static final Map<String, Criterion> CRITERIA = new TreeMap<>(Map.ofEntries(
            Map.entry("method", new Criterion(Sample.METHOD, MatchMethod.STR)),
            Map.entry("path", new Criterion(Sample.PATH, MatchMethod.STR)),
            Map.entry("path_beg", new Criterion(Sample.PATH, MatchMethod.BEG)),
            Map.entry("path_end", new Criterion(Sample.PATH, MatchMethod.END)),
            Map.entry("path_sub", new Criterion(Sample.PATH, MatchMethod.SUB)),
            Map.entry("hdr", new Criterion(Sample.HEADER, MatchMethod.STR)),
            Map.entry("hdr_beg", new Criterion(Sample.HEADER, MatchMethod.BEG)),
            Map.entry("hdr_end", new Criterion(Sample.HEADER, MatchMethod.END)),
            Map.entry("hdr_sub", new Criterion(Sample.HEADER, MatchMethod.SUB)),
            Map.entry("hdr_dom", new Criterion(Sample.HEADER, MatchMethod.DOM)),
            Map.entry("src", new Criterion(Sample.SOURCE, null))));

    /** HAProxy's predefined ACLs that these criteria can express, besides {@code TRUE} and {@code FALSE}. */
    private static final Map<String, List<String>> PREDEFINED = Map.ofEntries(
            Map.entry("LOCALHOST", List.of("src", "127.0.0.1/8", "::1")),
            Map.entry("METH_CONNECT", List.of("method", "CONNECT")),
            Map.entry("METH_DELETE", List.of("method", "DELETE")),
            Map.entry("METH_GET", List.of("method", "GET", "HEAD")),
            Map.entry("METH_HEAD", List.of("method", "HEAD")),
            Map.entry("METH_OPTIONS", List.of("method", "OPTIONS")),
            Map.entry("METH_POST", List.of("method", "POST")),
            Map.entry("METH_PUT", List.of("method", "PUT")),
            Map.entry("METH_TRACE", List.of("method", "TRACE")),
            Map.entry("HTTP_URL_SLASH", List.of("path_beg", "/")));

    private AclParser() {
    }

    /** {@code acl NAME CRITERION [FLAGS] [--] VALUE...}; the lines of one name add up (OR). */
    static void acl(Args args, ProxyBuilder proxy) throws ConfigArgException {
        String name = Values.name(args.next("ACL name"), "ACL name");
        Integer used = proxy.aclUses.get(name);
        if (used != null) {
            // HAProxy would extend the ACL of the rules before too; saying so beats a silent difference.
            throw new ConfigArgException("ACL '" + name + "' is already used by the rule at line " + used
                    + ": declare all the lines of an ACL before the rules that use it");
        }
        AclExpression expression = expression(args.rest());
        proxy.acls.computeIfAbsent(name, key -> new ArrayList<>()).add(expression);
    }

    /**
     * The optional condition that ends a rule's line: null if the line ends here.
     * It reads the rest of the line.
     */
    static Condition condition(Args args, ProxyBuilder proxy) throws ConfigArgException {
        if (!args.hasNext()) {
            return null;
        }
        String keyword = args.next("condition");
        if (!isConditionStart(keyword)) {
            throw new ConfigArgException("unexpected argument '" + keyword + "' (expected 'if' or 'unless')");
        }
        List<String> words = args.rest();
        List<List<Condition.Term>> alternatives = new ArrayList<>();
        List<Condition.Term> terms = new ArrayList<>();
        boolean negated = false;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            // As HAProxy, any number of '!', even alone before the term.
            while (word.startsWith("!")) {
                negated = !negated;
                word = word.substring(1);
            }
            if (word.isEmpty()) {
                continue;
            }
            if (word.equals("||") || word.equalsIgnoreCase("or")) {
                if (terms.isEmpty() || negated) {
                    throw new ConfigArgException("'" + word + "' must come between two ACLs in '" + keyword + "'");
                }
                alternatives.add(terms);
                terms = new ArrayList<>();
                continue;
            }
            Acl acl;
            if (word.equals("{")) {
                int close = words.subList(i, words.size()).indexOf("}");
                if (close < 0) {
                    throw new ConfigArgException("missing '}' closing the anonymous ACL in '" + keyword + "'");
                }
                List<String> inner = words.subList(i + 1, i + close);
                if (inner.isEmpty()) {
                    throw new ConfigArgException("empty anonymous ACL '{ }'");
                }
                acl = new Acl("{ " + String.join(" ", inner) + " }", List.of(expression(inner)));
                i += close;
            } else {
                acl = named(word, args.line(), proxy);
            }
            terms.add(new Condition.Term(acl, negated));
            negated = false;
        }
        if (terms.isEmpty() || negated) {
            throw new ConfigArgException("missing ACL " + (alternatives.isEmpty() ? "after '" + keyword + "'"
                    : "at the end of the condition"));
        }
        alternatives.add(terms);
        return new Condition(keyword.equals("unless"), alternatives);
    }

    /** Whether the word starts the condition of a rule, which ends the rule's own arguments. */
    static boolean isConditionStart(String word) {
        return "if".equals(word) || "unless".equals(word);
    }

    /** An ACL declared earlier in the section, else a predefined one. */
    private static Acl named(String name, int line, ProxyBuilder proxy) throws ConfigArgException {
        List<AclExpression> expressions = proxy.acls.get(name);
        if (expressions != null) {
            proxy.aclUses.putIfAbsent(name, line);
            return new Acl(name, expressions);
        }
        if (name.equals("TRUE") || name.equals("FALSE")) {
            boolean value = name.equals("TRUE");
            return new Acl(name, List.of(sample -> value));
        }
        List<String> predefined = PREDEFINED.get(name);
        if (predefined == null) {
            throw new ConfigArgException("unknown ACL '" + name + "' (an ACL must be declared in the section"
                    + " before the rules using it)");
        }
        return new Acl(name, List.of(expression(predefined)));
    }

    /** {@code CRITERION [FLAGS] [--] VALUE...}, from an acl line or between braces. */
    private static AclExpression expression(List<String> words) throws ConfigArgException {
        if (words.isEmpty()) {
            throw new ConfigArgException("missing ACL criterion");
        }
        String word = words.get(0);
        int paren = word.indexOf('(');
        String name = paren < 0 ? word : word.substring(0, paren);
        Criterion criterion = CRITERIA.get(name);
        if (criterion == null) {
            throw new ConfigArgException("unsupported ACL criterion '" + name + "' (supported: "
                    + String.join(", ", CRITERIA.keySet()) + ")");
        }
        String header = criterion.sample() == Sample.HEADER ? headerArgument(word, name, paren) : null;
        if (header == null && paren >= 0) {
            throw new ConfigArgException("ACL criterion '" + name + "' takes no argument ('" + word + "')");
        }

        boolean ignoreCase = false;
        MatchMethod method = criterion.method();
        int i = 1;
        while (i < words.size() && words.get(i).startsWith("-")) {
            String flag = words.get(i++);
            if (flag.equals("--")) {
                break;
            } else if (flag.equals("-i")) {
                ignoreCase = true;
            } else if (flag.equals("-m")) {
                if (i >= words.size()) {
                    throw new ConfigArgException("missing match method after '-m'");
                }
                method = matchMethod(words.get(i++), criterion);
            } else {
                throw new ConfigArgException("unsupported ACL flag '" + flag + "' (supported: -i, -m, --)");
            }
        }
        List<String> values = words.subList(i, words.size());
        if (values.isEmpty() && method != MatchMethod.FOUND) {
            throw new ConfigArgException("missing value after '" + word + "' (or '-m found' to test that it exists)");
        }
        return switch (criterion.sample()) {
            case METHOD -> AclExpression.method(new PatternMatcher(method, ignoreCase, methods(values)));
            case PATH -> AclExpression.path(new PatternMatcher(method, ignoreCase, values));
            case HEADER -> AclExpression.header(header, new PatternMatcher(method, ignoreCase, values));
            case SOURCE -> AclExpression.source(networks(values));
        };
    }

    /** {@code hdr(NAME)}: the name in lower case. */
    private static String headerArgument(String word, String name, int paren) throws ConfigArgException {
        if (paren < 0 || !word.endsWith(")") || paren + 2 >= word.length()) {
            throw new ConfigArgException("ACL criterion '" + name + "' needs a header name: " + name + "(NAME)");
        }
        String header = word.substring(paren + 1, word.length() - 1);
        if (header.indexOf(',') >= 0) {
            throw new ConfigArgException("header occurrences are not supported ('" + word + "')");
        }
        return Values.headerName(header);
    }

    /** {@code -m}: {@code src} compares addresses ({@code -m ip}, its default), the others strings. */
    private static MatchMethod matchMethod(String token, Criterion criterion) throws ConfigArgException {
        if (criterion.sample() == Sample.SOURCE) {
            if (!token.equals("ip")) {
                throw new ConfigArgException("match method '" + token + "' does not apply to 'src' (only 'ip')");
            }
            return null;
        }
        return Values.token(token, "match method", MatchMethod.values(), MatchMethod::token);
    }

    /** Methods are case-sensitive tokens. */
    private static List<String> methods(List<String> values) throws ConfigArgException {
        for (String value : values) {
            Values.httpToken(value, "method");
        }
        return values;
    }

    private static List<Network> networks(List<String> values) throws ConfigArgException {
        List<Network> networks = new ArrayList<>();
        for (String value : values) {
            networks.add(AddressParser.network(value));
        }
        return networks;
    }
}
