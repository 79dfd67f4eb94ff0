package org.muxgate.proxy.config;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import org.muxgate.proxy.rules.ErrorPages;
import org.muxgate.proxy.rules.HttpAction;
import org.muxgate.proxy.rules.HttpResponses;
import org.muxgate.proxy.rules.HttpRule;

/**
 * {@code http-request ACTION ... [if|unless COND]} and
 * {@code http-response ACTION ... [if|unless COND]}: each action is an entry of
 * a table, whose handler reads the action's arguments up to the condition.
 */
final class HttpRuleParser {

    /** What an action's handler fills in. */
    private static final class ActionBuilder {
        HttpAction action;
    }

    private static final List<Integer> REDIRECT_CODES = List.of(301, 302, 303, 307, 308);

    /** The options of {@code return} that HAProxy has and Muxgate not yet. */
    private static final List<String> UNSUPPORTED_RETURN_OPTIONS = List.of("lf-string", "lf-file", "errorfile",
            "errorfiles", "default-errorfiles", "hdr");

    private static final KeywordTable<ActionBuilder> REQUEST_ACTIONS = withHeaderActions(
            new KeywordTable<ActionBuilder>("http-request action")
                    .add("allow", (args, rule) -> rule.action = new HttpAction.Allow())
                    .add("deny", HttpRuleParser::deny)
                    .add("return", HttpRuleParser::returnResponse)
                    .add("redirect", HttpRuleParser::redirect));

    private static final KeywordTable<ActionBuilder> RESPONSE_ACTIONS = withHeaderActions(
            new KeywordTable<ActionBuilder>("http-response action"));

    private HttpRuleParser() {
    }

    /** The actions on headers, the same for requests and responses. */
    private static KeywordTable<ActionBuilder> withHeaderActions(KeywordTable<ActionBuilder> actions) {
        return actions
                .add("set-header", (args, rule) -> rule.action = new HttpAction.SetHeader(headerName(args),
                        headerValue(args)))
                .add("add-header", (args, rule) -> rule.action = new HttpAction.AddHeader(headerName(args),
                        headerValue(args)))
                .add("del-header", (args, rule) -> rule.action = new HttpAction.DelHeader(headerName(args)));
    }

    static void request(Args args, ProxyBuilder proxy) throws ConfigArgException {
        proxy.requestRules.add(rule(args, REQUEST_ACTIONS, proxy));
    }

    static void response(Args args, ProxyBuilder proxy) throws ConfigArgException {
        proxy.responseRules.add(rule(args, RESPONSE_ACTIONS, proxy));
    }

    private static HttpRule rule(Args args, KeywordTable<ActionBuilder> actions, ProxyBuilder proxy)
            throws ConfigArgException {
        ActionBuilder rule = new ActionBuilder();
        actions.get(args.next("action")).handler().parse(args, rule);
        return new HttpRule(args.line(), rule.action, AclParser.condition(args, proxy));
    }

    /** Whether an action has more arguments before the condition, if any. */
    private static boolean hasOption(Args args) {
        return args.hasNext() && !AclParser.isConditionStart(args.peek());
    }

    /** {@code deny [deny_status N]}: the status must have an error page to send. */
    private static void deny(Args args, ActionBuilder rule) throws ConfigArgException {
        int status = 403;
        while (hasOption(args)) {
            String option = args.next("option");
            if (!option.equals("deny_status")) {
                throw new ConfigArgException("unsupported deny option '" + option + "' (only deny_status)");
            }
            status = errorStatus(args.next("status code"), "deny_status");
        }
        rule.action = new HttpAction.Deny(status);
    }

    /** {@code return [status N] [content-type TYPE] [string TEXT | file PATH]} */
    private static void returnResponse(Args args, ActionBuilder rule) throws ConfigArgException {
        int status = 200;
        String contentType = null;
        byte[] body = null;
        while (hasOption(args)) {
            String option = args.next("option");
            switch (option) {
                case "status" -> status = args.nextInt("status code", 200, 599);
                case "content-type" -> contentType = Values.printable(args.next("content type"), "content type");
                case "string", "file" -> {
                    if (body != null) {
                        throw new ConfigArgException("only one of 'string' and 'file' may give the body");
                    }
                    String value = args.next(option.equals("string") ? "text" : "file name");
                    body = option.equals("string") ? value.getBytes(StandardCharsets.UTF_8)
                            : args.readFile(value, "file");
                }
                default -> throw new ConfigArgException(UNSUPPORTED_RETURN_OPTIONS.contains(option)
                        ? "return option '" + option + "' is not supported yet"
                        : "unknown return option '" + option + "' (expected status, content-type, string, file)");
            }
        }
        if (body == null) {
            // HAProxy ignores a content type without a body too (with a warning).
            contentType = null;
            body = new byte[0];
        } else if (contentType == null) {
            throw new ConfigArgException("a 'content-type' is required with a body ('string' or 'file')");
        } else if (status == 204 || status == 304) {
            throw new ConfigArgException("a " + status + " response cannot have a body");
        }
        byte[] response = HttpResponses.build(status, contentType, body);
        if (response.length > args.bufsize()) {
            // The engine sends it from one buffer.
            throw new ConfigArgException("the response is " + response.length + " bytes long, more than tune.bufsize ("
                    + args.bufsize() + ")");
        }
        rule.action = new HttpAction.Return(status, response);
    }

    /** {@code redirect location|prefix|scheme VALUE [code N]} */
    private static void redirect(Args args, ActionBuilder rule) throws ConfigArgException {
        HttpAction.RedirectType type = Values.token(args.next("redirect type"), "redirect type",
                HttpAction.RedirectType.values(), HttpAction.RedirectType::token);
        String value = Values.literal(args.next(type.token()), "redirect " + type.token());
        int code = 302;
        while (hasOption(args)) {
            String option = args.next("option");
            if (!option.equals("code")) {
                throw new ConfigArgException("unsupported redirect option '" + option + "' (only code)");
            }
            String text = args.next("redirect code");
            code = Values.integer(text, "redirect code", 301, 308);
            if (!REDIRECT_CODES.contains(code)) {
                throw new ConfigArgException("invalid redirect code '" + text + "' (expected one of "
                        + REDIRECT_CODES.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
            }
        }
        rule.action = new HttpAction.Redirect(type, value, code);
    }

    /** A status that {@code deny_status} and {@code errorfile} accept: one with a page. */
    static int errorStatus(String text, String what) throws ConfigArgException {
        int status = Values.integer(text, what, 200, 599);
        if (!ErrorPages.STATUSES.contains(status)) {
            throw new ConfigArgException("unsupported status code '" + text + "' for " + what + " (expected one of "
                    + ErrorPages.STATUSES.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
        }
        return status;
    }

    private static String headerName(Args args) throws ConfigArgException {
        return Values.headerName(args.next("header name"));
    }

    private static String headerValue(Args args) throws ConfigArgException {
        return Values.literal(args.next("header value"), "header value");
    }
}
