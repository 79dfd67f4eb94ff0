package org.muxgate.proxy.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration file that cannot be used, with all the errors found in it. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<Diagnostic> errors;

    ConfigException(List<Diagnostic> errors) {
        super(errors.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    /** The errors in line order; the message is them, one per line. */
    public List<Diagnostic> errors() {
        return errors;
    }
}
