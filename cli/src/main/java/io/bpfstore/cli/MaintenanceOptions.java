package io.bpfstore.cli;

import io.bpfstore.registry.maintenance.MaintenancePolicy;
import picocli.CommandLine.Option;

/** {@code serve}'s storage upkeep: how often it runs, when an upload is abandoned, how long unreferenced blobs wait. */
final class MaintenanceOptions {
    @Option(names = "--gc-interval", paramLabel = "DURATION", defaultValue = "1h",
            description = "how often abandoned uploads expire and unreferenced blobs are collected, e.g. 30m, 1h;"
                    + " 0 disables (default: ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--upload-ttl", paramLabel = "DURATION", defaultValue = "24h",
            description = "an upload session older than this is abandoned, and so is a staged file no session owns"
                    + " (default: ${DEFAULT-VALUE})")
    String uploadTtl;

    @Option(names = "--gc-grace", paramLabel = "DURATION", defaultValue = "1h",
            description = "unreferenced blobs younger than this are kept, their manifest may be on its way"
                    + " (default: ${DEFAULT-VALUE})")
    String grace;

    /** The policy the flags set. */
    MaintenancePolicy policy() {
        return new MaintenancePolicy(ServeCommand.parseDuration("--gc-interval", interval),
                ServeCommand.parseDuration("--upload-ttl", uploadTtl), ServeCommand.parseDuration("--gc-grace", grace));
    }
}
