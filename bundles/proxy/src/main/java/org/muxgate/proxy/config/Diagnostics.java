package org.muxgate.proxy.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the errors and warnings of one file, so that all are reported at once. */
final class Diagnostics {

    private final String file;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final List<Diagnostic> warnings = new ArrayList<>();

    Diagnostics(String file) {
        this.file = file;
    }

    void error(int line, String message) {
        errors.add(new Diagnostic(file, line, message));
    }

    void warning(int line, String message) {
        warnings.add(new Diagnostic(file, line, message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** In line order: checks made after reading the file add errors about earlier lines. */
    List<Diagnostic> errors() {
        return sorted(errors);
    }

    List<Diagnostic> warnings() {
        return sorted(warnings);
    }

    private static List<Diagnostic> sorted(List<Diagnostic> diagnostics) {
        List<Diagnostic> copy = new ArrayList<>(diagnostics);
        copy.sort(Comparator.comparingInt(Diagnostic::line));
        return copy;
    }
}
