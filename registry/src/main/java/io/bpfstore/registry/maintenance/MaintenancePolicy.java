package io.bpfstore.registry.maintenance;

import java.time.Duration;
import java.util.Objects;

/**
 * When storage upkeep runs and what it removes.
 *
 * @param interval  time between runs of a serving registry; zero disables the periodic run
 * @param uploadTtl an upload session idle (not started) for longer than this is abandoned
 * @param blobGrace an unreferenced blob younger than this is kept: its manifest may still be on its way
 */
public record MaintenancePolicy(Duration interval, Duration uploadTtl, Duration blobGrace) {
    /** Hourly runs, uploads expire after a day (a push takes seconds), blobs get an hour's grace. */
    public static final MaintenancePolicy DEFAULT =
            new MaintenancePolicy(Duration.ofHours(1), Duration.ofHours(24), Duration.ofHours(1));

    /** Rejects negative durations. */
    public MaintenancePolicy {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(uploadTtl, "uploadTtl");
        Objects.requireNonNull(blobGrace, "blobGrace");
        if (interval.isNegative() || uploadTtl.isNegative() || blobGrace.isNegative()) {
            throw new IllegalArgumentException("maintenance durations must not be negative: " + this);
        }
    }
}
