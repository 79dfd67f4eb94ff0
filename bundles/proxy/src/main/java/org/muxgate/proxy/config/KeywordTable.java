package org.muxgate.proxy.config;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The keywords that may start a line, or an option within a line, with what
 * parses each. Adding a keyword is adding an entry.
 *
 * @param <T> what the handlers fill in (a builder)
 */
final class KeywordTable<T> {

    /** Reads a keyword's arguments from {@link Args} into the target. */
    @FunctionalInterface
    interface Handler<T> {
        void parse(Args args, T target) throws ConfigArgException;
    }

    /**
     * @param sections  where the keyword may appear
     * @param negatable whether {@code no KEYWORD} is accepted; the handler reads
     *                  {@link Args#negated()}
     */
    record Keyword<T>(String name, Set<SectionType> sections, boolean negatable, Handler<T> handler) {

        /** Fails if the keyword may not be used in this section, or with {@code no}. */
        void checkUsable(SectionType section, boolean negated) throws ConfigArgException {
            if (!sections.contains(section)) {
                throw new ConfigArgException(SectionType.notAllowed(section, sections));
            }
            if (negated && !negatable) {
                throw new ConfigArgException("cannot be negated with 'no'");
            }
        }
    }

    private final String kind;
    private final Map<String, Keyword<T>> keywords = new LinkedHashMap<>();

    /** @param kind what the entries are, for "unknown server option 'x'" */
    KeywordTable(String kind) {
        this.kind = kind;
    }

    KeywordTable<T> add(String name, Set<SectionType> sections, Handler<T> handler) {
        return put(new Keyword<>(name, EnumSet.copyOf(sections), false, handler));
    }

    /** An entry that also accepts {@code no NAME}. */
    KeywordTable<T> addNegatable(String name, Set<SectionType> sections, Handler<T> handler) {
        return put(new Keyword<>(name, EnumSet.copyOf(sections), true, handler));
    }

    /** An entry valid wherever its table is used, such as a server option. */
    KeywordTable<T> add(String name, Handler<T> handler) {
        return add(name, EnumSet.allOf(SectionType.class), handler);
    }

    private KeywordTable<T> put(Keyword<T> keyword) {
        if (keywords.putIfAbsent(keyword.name(), keyword) != null) {
            throw new IllegalArgumentException("duplicate " + kind + " '" + keyword.name() + "'");
        }
        return this;
    }

    /** The entry of that name, or null. */
    Keyword<T> find(String name) {
        return keywords.get(name);
    }

    /** The entry of that name; the error lists the known ones. */
    Keyword<T> get(String name) throws ConfigArgException {
        Keyword<T> keyword = keywords.get(name);
        if (keyword == null) {
            throw new ConfigArgException("unknown " + kind + " '" + name + "' (expected "
                    + String.join(", ", keywords.keySet()) + ")");
        }
        return keyword;
    }
}
