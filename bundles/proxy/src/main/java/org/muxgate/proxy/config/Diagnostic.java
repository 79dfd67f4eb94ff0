package org.muxgate.proxy.config;

/**
 * An error or a warning about a configuration file.
 *
 * @param file    the file as it was named to the parser
 * @param line    the 1-based line, or 0 for the whole file
 * @param message what is wrong, starting with the keyword it is about
 */
public record Diagnostic(String file, int line, String message) {

    /** {@code FILE:LINE: message}, ready to print. */
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
