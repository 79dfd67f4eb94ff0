package org.muxgate.proxy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a configuration line into words the way HAProxy's {@code parse_line()}
 * does, so that files written for HAProxy mean the same here.
 * <ul>
 * <li>Unquoted blanks separate words; an unquoted {@code #} starts a comment, even
 *     inside a word.</li>
 * <li>Outside single quotes a backslash escapes {@code \ }, {@code \#}, {@code \\},
 *     {@code \'}, {@code \"}, and gives {@code \t}, {@code \n}, {@code \r} and
 *     {@code \xHH}; inside double quotes also {@code \$}. Any other backslash stays
 *     as it is.</li>
 * <li>Single quotes keep everything literally. Double quotes keep blanks and
 *     {@code #}, and expand {@code $NAME}, {@code ${NAME}}, {@code ${NAME-default}}
 *     (the default only replaces an unset variable, not an empty one) and
 *     {@code ${NAME[*]}} (the value's blank-separated parts become separate words).
 *     An unset variable expands to nothing. Quotes may start or stop mid-word.</li>
 * <li>An empty last word ({@code key ""}) is dropped, as HAProxy does.</li>
 * </ul>
 */
final class Tokenizer {

    private Tokenizer() {
    }

    static List<String> split(String line, Map<String, String> env) throws ConfigArgException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean singleQuoted = false;
        boolean doubleQuoted = false;
        int openingQuote = -1;
        int i = skipBlanks(line, 0);
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\n' || c == '\r' || (c == '#' && !singleQuoted && !doubleQuoted)) {
                break;
            } else if (c == '"' && !singleQuoted) {
                doubleQuoted = !doubleQuoted;
                openingQuote = i++;
            } else if (c == '\'' && !doubleQuoted) {
                singleQuoted = !singleQuoted;
                openingQuote = i++;
            } else if (c == '\\' && !singleQuoted) {
                i = unescape(line, i, doubleQuoted, word);
            } else if (isBlank(c) && !singleQuoted && !doubleQuoted) {
                words.add(word.toString());
                word.setLength(0);
                i = skipBlanks(line, i);
            } else if (c == '$' && doubleQuoted) {
                i = expand(line, i, env, words, word);
            } else {
                word.append(c);
                i++;
            }
        }
        if (singleQuoted || doubleQuoted) {
            throw new ConfigArgException("unmatched quote at position " + (openingQuote + 1));
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the character escaped at {@code i} (a backslash) and returns where to go on. */
    private static int unescape(String line, int i, boolean doubleQuoted, StringBuilder word)
            throws ConfigArgException {
        char next = i + 1 < line.length() ? line.charAt(i + 1) : '\0';
        switch (next) {
            case ' ', '\\', '#', '\'', '"' -> word.append(next);
            case 't' -> word.append('\t');
            case 'n' -> word.append('\n');
            case 'r' -> word.append('\r');
            case '$' -> {
                if (!doubleQuoted) {
                    word.append('\\');
                    return i + 1;
                }
                word.append('$');
            }
            case 'x' -> {
                int high = i + 2 < line.length() ? Character.digit(line.charAt(i + 2), 16) : -1;
                int low = i + 3 < line.length() ? Character.digit(line.charAt(i + 3), 16) : -1;
                if (high < 0 || low < 0) {
                    throw new ConfigArgException("truncated or invalid hexadecimal sequence at position " + (i + 1));
                }
                word.append((char) (high << 4 | low));
                return i + 4;
            }
            default -> {
                // Not an escape sequence (e.g. "\1" in a regex): the backslash stays.
                word.append('\\');
                return i + 1;
            }
        }
        return i + 2;
    }

    /** Expands the variable whose {@code $} is at {@code i} and returns where to go on. */
    private static int expand(String line, int i, Map<String, String> env, List<String> words,
            StringBuilder word) throws ConfigArgException {
        int p = i + 1;
        int brace = -1;
        if (p < line.length() && line.charAt(p) == '{') {
            brace = p++;
        }
        if (p >= line.length() || !isNameStart(line.charAt(p))) {
            throw new ConfigArgException("forbidden first character in environment variable name at position " + (p + 1));
        }
        int start = p;
        while (p < line.length() && isNamePart(line.charAt(p))) {
            p++;
        }
        String value = env.get(line.substring(start, p));
        boolean splitWords = false;
        if (brace >= 0) {
            if (p < line.length() && line.charAt(p) == '[') {
                if (!line.startsWith("[*]", p)) {
                    throw new ConfigArgException("truncated or invalid word expansion sequence at position " + (p + 1));
                }
                splitWords = true;
                p += 3;
            }
            if (p < line.length() && line.charAt(p) == '-') {
                int close = line.indexOf('}', p);
                if (close >= 0 && value == null) {
                    value = line.substring(p + 1, close);
                }
                p = close >= 0 ? close : line.length();
            }
            if (p >= line.length() || line.charAt(p) != '}') {
                throw new ConfigArgException("unmatched brace in environment variable name at position " + (brace + 1));
            }
            p++;
        }
        if (value != null) {
            append(value, splitWords, words, word);
        }
        return p;
    }

    private static void append(String value, boolean splitWords, List<String> words, StringBuilder word) {
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (splitWords && isBlank(c)) {
                words.add(word.toString());
                word.setLength(0);
                i = skipBlanks(value, i);
            } else {
                word.append(c);
                i++;
            }
        }
    }

    private static int skipBlanks(String text, int i) {
        while (i < text.length() && isBlank(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** C's isspace() without the line ends, which end the line instead. */
    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\u000B' || c == '\f';
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c < 128 && Character.isLetter(c));
    }

    private static boolean isNamePart(char c) {
        return c == '_' || (c < 128 && Character.isLetterOrDigit(c));
    }
}
