package org.muxgate.proxy.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;

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
    private final Path directory;
    private final IntSupplier bufsize;
    private int next = 1;

    /**
     * @param directory where relative file names are resolved: the configuration file's
     * @param bufsize   {@code tune.bufsize} as set so far, the largest file that a keyword may load
     */
    Args(List<String> words, int line, boolean negated, AddressParser addresses, Path directory,
            IntSupplier bufsize) {
        this.words = List.copyOf(words);
        this.line = line;
        this.negated = negated;
        this.addresses = addresses;
        this.directory = directory;
        this.bufsize = bufsize;
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

    /** The next word without reading it, or null at the end of the line. */
    String peek() {
        return hasNext() ? words.get(next) : null;
    }

    /** The words not read yet, which are read by this call. */
    List<String> rest() {
        List<String> rest = words.subList(next, words.size());
        next = words.size();
        return rest;
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

    /** {@code tune.bufsize} as set so far: what the responses that Muxgate sends itself must fit in. */
    int bufsize() {
        return bufsize.getAsInt();
    }

    /**
     * Reads a file that a keyword names, now, as HAProxy does: a relative name is
     * resolved against the directory of the configuration file (HAProxy's
     * {@code default-path config}), and the file must fit in a buffer.
     *
     * @param what the file's role in messages, such as {@code errorfile}
     */
    byte[] readFile(String name, String what) throws ConfigArgException {
        Path path = directory.resolve(name);
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (IOException e) {
            String reason = e instanceof NoSuchFileException ? "no such file" : e.toString();
            throw new ConfigArgException("cannot read " + what + " '" + path + "': " + reason);
        }
        if (content.length > bufsize()) {
            throw new ConfigArgException(what + " '" + path + "' is " + content.length
                    + " bytes long, more than tune.bufsize (" + bufsize() + ")");
        }
        return content;
    }

    /** Fails if a word has not been read: every keyword takes a known list of arguments. */
    void expectEnd() throws ConfigArgException {
        if (hasNext()) {
            throw new ConfigArgException("unexpected argument '" + words.get(next) + "'");
        }
    }
}
