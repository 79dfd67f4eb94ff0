package org.muxgate.proxy.rules;

import java.util.List;

/**
 * The patterns of one ACL expression compiled for a {@link MatchMethod}: a value
 * matches if it matches any of them. It compares characters in place, folding
 * ASCII letters when the case is ignored, so that matching allocates nothing.
 */
public final class PatternMatcher implements ValueMatcher {

    private final MatchMethod method;
    private final boolean ignoreCase;
    /** Lower-cased when the case is ignored; without the outer delimiters for {@code dom}. */
    private final String[] patterns;

    /**
     * @param ignoreCase HAProxy's {@code -i}: ASCII letters match whatever their case
     * @param patterns   ignored by {@link MatchMethod#FOUND}
     */
    public PatternMatcher(MatchMethod method, boolean ignoreCase, List<String> patterns) {
        this.method = method;
        this.ignoreCase = ignoreCase;
        this.patterns = new String[patterns.size()];
        for (int i = 0; i < this.patterns.length; i++) {
            String pattern = method == MatchMethod.DOM ? trimDelimiters(patterns.get(i)) : patterns.get(i);
            this.patterns[i] = ignoreCase ? lowerAscii(pattern) : pattern;
        }
    }

    @Override
    public boolean matches(CharSequence value) {
        if (method == MatchMethod.FOUND) {
            return true;
        }
        for (String pattern : patterns) {
            if (matches(value, pattern)) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(CharSequence value, String pattern) {
        int length = value.length();
        int size = pattern.length();
        return switch (method) {
            case STR -> length == size && regionMatches(value, 0, pattern);
            case BEG -> length >= size && regionMatches(value, 0, pattern);
            case END -> length >= size && regionMatches(value, length - size, pattern);
            case SUB -> contains(value, pattern);
            case DOM -> containsDomain(value, pattern);
            case FOUND -> true;
        };
    }

    private boolean contains(CharSequence value, String pattern) {
        for (int at = 0; at + pattern.length() <= value.length(); at++) {
            if (regionMatches(value, at, pattern)) {
                return true;
            }
        }
        return false;
    }

    /** As HAProxy's {@code pat_match_dom()}: an occurrence with a delimiter or an end on each side. */
    private boolean containsDomain(CharSequence value, String pattern) {
        int size = pattern.length();
        for (int at = 0; at + size <= value.length(); at++) {
            if ((at == 0 || isDelimiter(value.charAt(at - 1)))
                    && (at + size == value.length() || isDelimiter(value.charAt(at + size)))
                    && regionMatches(value, at, pattern)) {
                return true;
            }
        }
        return false;
    }

    private boolean regionMatches(CharSequence value, int offset, String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = value.charAt(offset + i);
            if ((ignoreCase ? lowerAscii(c) : c) != pattern.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDelimiter(char c) {
        return c == '/' || c == '?' || c == '.' || c == ':';
    }

    /** HAProxy ignores the delimiters at the ends of a domain pattern: {@code .example.com.} is {@code example.com}. */
    private static String trimDelimiters(String pattern) {
        int start = 0;
        int end = pattern.length();
        while (start < end && isDelimiter(pattern.charAt(start))) {
            start++;
        }
        while (end > start && isDelimiter(pattern.charAt(end - 1))) {
            end--;
        }
        return pattern.substring(start, end);
    }

    /** Only ASCII: HTTP tokens are ASCII, and other letters must not fold as the JVM's locale says. */
    private static char lowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    private static String lowerAscii(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = lowerAscii(chars[i]);
        }
        return new String(chars);
    }

    @Override
    public String toString() {
        return "-m " + method.token() + (ignoreCase ? " -i " : " ") + String.join(" ", patterns);
    }
}
