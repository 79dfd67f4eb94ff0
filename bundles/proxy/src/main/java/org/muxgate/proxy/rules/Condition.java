package org.muxgate.proxy.rules;

import java.util.List;

/**
 * The {@code if} or {@code unless} part of a rule, as HAProxy evaluates it: terms
 * side by side are ANDed, {@code ||} or {@code or} separates alternatives, and a
 * term is an ACL, negated by {@code !}. {@code unless} negates the whole.
 */
public final class Condition {

    /** An ACL in a condition, possibly negated ({@code !name}). */
    public record Term(Acl acl, boolean negated) {

        boolean holds(HttpSample sample) {
            return acl.matches(sample) != negated;
        }

        @Override
        public String toString() {
            return (negated ? "!" : "") + acl;
        }
    }

    private final boolean unless;
    /** Alternatives (OR) of terms (AND). */
    private final Term[][] alternatives;

    /**
     * @param unless       true for {@code unless}
     * @param alternatives at least one, each with at least one term
     */
    public Condition(boolean unless, List<List<Term>> alternatives) {
        if (alternatives.isEmpty() || alternatives.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("a condition needs a term in each alternative: " + alternatives);
        }
        this.unless = unless;
        this.alternatives = alternatives.stream().map(terms -> terms.toArray(new Term[0])).toArray(Term[][]::new);
    }

    public boolean evaluate(HttpSample sample) {
        return anyAlternativeHolds(sample) != unless;
    }

    private boolean anyAlternativeHolds(HttpSample sample) {
        for (Term[] terms : alternatives) {
            if (allHold(terms, sample)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allHold(Term[] terms, HttpSample sample) {
        for (Term term : terms) {
            if (!term.holds(sample)) {
                return false;
            }
        }
        return true;
    }

    /** As written, with anonymous ACLs in braces: {@code if a !b || { path /x }}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(unless ? "unless" : "if");
        for (int i = 0; i < alternatives.length; i++) {
            if (i > 0) {
                text.append(" ||");
            }
            for (Term term : alternatives[i]) {
                text.append(' ').append(term);
            }
        }
        return text.toString();
    }
}
