package org.muxgate.proxy.config;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The words of one configuration line, read from left to right by the keyword's
 * handler. The first word is the keyword; a leading {@code no} has been removed
 * and is reported by {@link #negated()}.
 */
final class Args {

    private final List<String> words;
    private final int line;
    private final boolean negated;
    private final AddressParser addresses;
    private int next = 1;

    Args(List<String> words, int line, boolean negated, AddressParser addresses) {
        this.words = List.copyOf(words);
        this.line = line;
        this.negated = negated;
        this.addresses = addresses;
    }

    String keyword() {
        return words.get(0);
    }

    int line() {
        return line;
    }

    boolean negated() {
        return negated;
    }

    boolean hasNext() {
        return next < words.size();
    }

    /** The next word; {@code what} names it in the error when it is missing. */
    String next(String what) throws ConfigArgException {
        if (!hasNext()) {
            throw new ConfigArgException("missing " + what);
        }
        return words.get(next++);
    }

    /** The next word as an integer between {@code min} and {@code max}. */
    int nextInt(String what, int min, int max) throws ConfigArgException {
        return Values.integer(next(what), what, min, max);
    }

    /** Parses an address of this line; {@code wildcard} allows {@code *:PORT} and the like. */
    InetSocketAddress address(String text, boolean wildcard) throws ConfigArgException {
        return addresses.parse(text, wildcard);
    }

    /** Fails if a word has not been read: every keyword takes a known list of arguments. */
    void expectEnd() throws ConfigArgException {
        if (hasNext()) {
            throw new ConfigArgException("unexpected argument '" + words.get(next) + "'");
        }
    }
}
