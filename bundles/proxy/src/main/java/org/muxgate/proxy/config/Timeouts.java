package org.muxgate.proxy.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The timeouts set on a proxy. An absent timeout means "none", as in HAProxy
 * where {@code timeout X 0} and no {@code timeout X} both mean no limit.
 */
public record Timeouts(Map<TimeoutKind, Duration> values) {

    public Timeouts {
        values = Map.copyOf(values);
    }

    /** The timeout of this kind, empty if there is none. */
    public Optional<Duration> get(TimeoutKind kind) {
        return Optional.ofNullable(values.get(kind));
    }
}
