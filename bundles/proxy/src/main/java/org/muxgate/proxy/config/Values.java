package org.muxgate.proxy.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The parsers of the values found in arguments: numbers, times, names and tokens. */
final class Values {

    /** HAProxy keeps times in a signed 32-bit count of milliseconds. */
    private static final long MAX_TIME_MS = Integer.MAX_VALUE;

    private Values() {
    }

    /** A decimal integer between {@code min} and {@code max}; no sign, no unit. */
    static int integer(String text, String what, int min, int max) throws ConfigArgException {
        // Ten digits at most fit a long without overflow whatever they are.
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Values::isDigit)
                || Long.parseLong(text) < min || Long.parseLong(text) > max) {
            throw new ConfigArgException("invalid " + what + " '" + text
                    + "' (expected an integer between " + min + " and " + max + ")");
        }
        return Integer.parseInt(text);
    }

    /**
     * A time in HAProxy's format: digits and an optional unit among {@code us},
     * {@code ms}, {@code s}, {@code m}, {@code h} and {@code d}, milliseconds when
     * there is none. Like HAProxy, it is rounded up to the millisecond and may not
     * reach 2^31 ms (about 24.8 days).
     */
    static Duration time(String text, String what) throws ConfigArgException {
        int digits = 0;
        while (digits < text.length() && isDigit(text.charAt(digits))) {
            digits++;
        }
        long micros = switch (text.substring(digits)) {
            case "us" -> 1;
            case "", "ms" -> 1_000;
            case "s" -> 1_000_000;
            case "m" -> 60_000_000;
            case "h" -> 3_600_000_000L;
            case "d" -> 86_400_000_000L;
            default -> -1;
        };
        if (digits == 0 || micros < 0) {
            throw new ConfigArgException("invalid time '" + text + "' for " + what
                    + " (expected a number with an optional unit: us, ms, s, m, h, d)");
        }
        long millis;
        try {
            long total = Math.multiplyExact(Long.parseLong(text.substring(0, digits)), micros);
            millis = total / 1000 + (total % 1000 == 0 ? 0 : 1);
        } catch (NumberFormatException | ArithmeticException tooLarge) {
            millis = Long.MAX_VALUE;
        }
        if (millis > MAX_TIME_MS) {
            throw new ConfigArgException("time overflow in '" + text + "' for " + what
                    + " (maximum value is 2147483647 ms or ~24.8 days)");
        }
        return Duration.ofMillis(millis);
    }

    /**
     * A proxy, server or defaults name. HAProxy allows letters, digits and
     * {@code . : _ -}, so that names can appear in logs, stats and the CLI.
     */
    static String name(String text, String what) throws ConfigArgException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(isDigit(c) || (c < 128 && Character.isLetter(c)) || ".:_-".indexOf(c) >= 0)) {
                throw new ConfigArgException("character '" + c + "' is not permitted in " + what + " '" + text + "'");
            }
        }
        return text;
    }

    /** One of a fixed set of words, such as a mode or an algorithm. */
    static <E extends Enum<E>> E token(String text, String what, E[] choices, Function<E, String> token)
            throws ConfigArgException {
        for (E choice : choices) {
            if (token.apply(choice).equals(text)) {
                return choice;
            }
        }
        throw new ConfigArgException("unknown " + what + " '" + text + "' (expected "
                + Arrays.stream(choices).map(token).collect(Collectors.joining(", ")) + ")");
    }

    /**
     * An HTTP token (RFC 9110), such as a method or a header name: letters,
     * digits and {@code !#$%&'*+-.^_`|~}.
     */
    static String httpToken(String text, String what) throws ConfigArgException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(isDigit(c) || (c < 128 && Character.isLetter(c)) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                throw new ConfigArgException("character '" + c + "' is not permitted in " + what + " '" + text + "'");
            }
        }
        return text;
    }

    /** A header name, in lower case as HTX stores them and HTTP/2 requires. */
    static String headerName(String text) throws ConfigArgException {
        return httpToken(text, "header name").toLowerCase(Locale.ROOT);
    }

    /**
     * A literal value where HAProxy takes a log-format string (a header value, a
     * redirect location): {@code %%} stands for {@code %}, and any other
     * {@code %} would start an expression, which Muxgate does not evaluate.
     */
    static String literal(String text, String what) throws ConfigArgException {
        StringBuilder value = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 1 >= text.length() || text.charAt(i + 1) != '%') {
                    throw new ConfigArgException("log-format expressions are not supported in " + what + " '" + text
                            + "' (write %% for a literal %)");
                }
                i++;
            }
            value.append(c);
        }
        return printable(value.toString(), what);
    }

    /**
     * Text that goes into an HTTP header as it is: printable ASCII and tabs. A
     * line break would end the header and let the value inject others.
     */
    static String printable(String text, String what) throws ConfigArgException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < ' ' && c != '\t') || c > '~') {
                throw new ConfigArgException(String.format("character \\x%02X is not permitted in %s '%s'"
                        + " (printable ASCII only)", (int) c, what, text));
            }
        }
        return text;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
