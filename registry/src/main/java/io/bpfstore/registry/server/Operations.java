package io.bpfstore.registry.server;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the registry runs for its operators.
 *
 * @param accessLog    where to write one line per request in common log format: a file, {@code -} for standard
 *                     error; empty: no access log
 * @param drainTimeout how long a shutdown waits for requests in flight (uploads) before it closes anyway
 */
public record Operations(Optional<String> accessLog, Duration drainTimeout) {
    /** No access log; 30 s for requests in flight at shutdown. */
    public static final Operations DEFAULT = new Operations(Optional.empty(), Duration.ofSeconds(30));

    /** Checks ranges. */
    public Operations {
        Objects.requireNonNull(accessLog, "accessLog");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drain timeout must not be negative: " + drainTimeout);
        }
    }
}
