package org.muxgate.proxy.config;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** The sections of a configuration file, named by the keyword that starts them. */
enum SectionType {
    GLOBAL("global"),
    DEFAULTS("defaults"),
    FRONTEND("frontend"),
    BACKEND("backend"),
    LISTEN("listen");

    private final String keyword;

    SectionType(String keyword) {
        this.keyword = keyword;
    }

    /** The section that this word starts, or null. */
    static SectionType forKeyword(String word) {
        for (SectionType type : values()) {
            if (type.keyword.equals(word)) {
                return type;
            }
        }
        return null;
    }

    /**
     * The sections where a proxy setting of the frontend side, of the backend side
     * or of both may appear: the proxies that have that side, and defaults.
     */
    static Set<SectionType> proxies(boolean frontendSide, boolean backendSide) {
        Set<SectionType> sections = EnumSet.of(DEFAULTS);
        for (SectionType type : values()) {
            if ((frontendSide && type.hasFrontend()) || (backendSide && type.hasBackend())) {
                sections.add(type);
            }
        }
        return sections;
    }

    /** The message for a keyword used outside the sections that allow it. */
    static String notAllowed(SectionType here, Set<SectionType> allowed) {
        return "not allowed in a " + here + " section (only in "
                + allowed.stream().map(SectionType::toString).collect(Collectors.joining(", ")) + ")";
    }

    /** Whether the section accepts connections: frontend and listen. */
    boolean hasFrontend() {
        return this == FRONTEND || this == LISTEN;
    }

    /** Whether the section has servers: backend and listen. */
    boolean hasBackend() {
        return this == BACKEND || this == LISTEN;
    }

    /** The section's keyword, as messages name it. */
    @Override
    public String toString() {
        return keyword;
    }
}
