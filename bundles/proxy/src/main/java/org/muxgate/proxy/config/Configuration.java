package org.muxgate.proxy.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A parsed configuration file.
 *
 * @param source    the file it was read from
 * @param global    the {@code global} section's settings
 * @param frontends in file order
 * @param backends  in file order
 * @param warnings  things that are valid but probably not what the user meant
 */
public record Configuration(Path source, GlobalSettings global, List<Frontend> frontends,
        List<Backend> backends, List<Diagnostic> warnings) {

    public Configuration {
        frontends = List.copyOf(frontends);
        backends = List.copyOf(backends);
        warnings = List.copyOf(warnings);
    }

    /** The frontend of that name. */
    public Optional<Frontend> frontend(String name) {
        return frontends.stream().filter(frontend -> frontend.name().equals(name)).findFirst();
    }

    /** The backend of that name. */
    public Optional<Backend> backend(String name) {
        return backends.stream().filter(backend -> backend.name().equals(name)).findFirst();
    }
}
