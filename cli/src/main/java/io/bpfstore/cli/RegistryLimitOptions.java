package io.bpfstore.cli;

import io.bpfstore.registry.limits.RegistryLimits;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code serve}'s caps on abuse: unfinished uploads, failed logins, token requests and analysis. The defaults are
 * {@link RegistryLimits#DEFAULT}'s (RegistryCommandsTest keeps the two in step).
 */
final class RegistryLimitOptions {
    @Option(names = "--max-uploads-per-publisher", paramLabel = "N", defaultValue = "16",
            description = "open upload sessions one publisher may hold (default: ${DEFAULT-VALUE})")
    int uploadsPerPublisher;

    @Option(names = "--max-uploads", paramLabel = "N", defaultValue = "256",
            description = "open upload sessions in all (default: ${DEFAULT-VALUE})")
    int uploads;

    @Option(names = "--max-staged-per-publisher", paramLabel = "N", defaultValue = "2G",
            description = "bytes one publisher's unfinished uploads may hold (default: ${DEFAULT-VALUE})")
    String stagedPerPublisher;

    @Option(names = "--max-staged", paramLabel = "N", defaultValue = "16G",
            description = "bytes all unfinished uploads may hold (default: ${DEFAULT-VALUE})")
    String staged;

    @Option(names = "--max-failed-logins", paramLabel = "N", defaultValue = "10",
            description = "failed logins allowed per client address and per account per minute, then 429; with"
                    + " --database, counted across all instances (default: ${DEFAULT-VALUE})")
    int failedLogins;

    @Option(names = "--max-token-requests", paramLabel = "N", defaultValue = "120",
            description = "token requests allowed per client address per minute, then 429; with --database,"
                    + " counted across all instances (default: ${DEFAULT-VALUE})")
    int tokenRequests;

    @Option(names = "--analysis-threads", paramLabel = "N", defaultValue = "1",
            description = "threads analysing pushed objects for the web UI and the permission check"
                    + " (default: ${DEFAULT-VALUE})")
    int analysisThreads;

    @Option(names = "--analysis-budget", paramLabel = "DURATION", defaultValue = "20s",
            description = "time one object's analysis may take before it is shown as too large"
                    + " (default: ${DEFAULT-VALUE})")
    String analysisBudget;

    @Option(names = "--analysis-max-instructions", paramLabel = "N", defaultValue = "100000",
            description = "largest object analysed, in instructions over all programs (default: ${DEFAULT-VALUE})")
    int analysisInstructions;

    /** The limits the flags set. */
    RegistryLimits limits() {
        Duration budget = ServeCommand.parseDuration("--analysis-budget", analysisBudget);
        try {
            return RegistryLimits.DEFAULT
                    .withUploads(uploadsPerPublisher, uploads,
                            ServeCommand.parseSize("--max-staged-per-publisher", stagedPerPublisher),
                            ServeCommand.parseSize("--max-staged", staged))
                    .withRates(failedLogins, tokenRequests)
                    .withAnalysis(analysisThreads, budget, analysisInstructions);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("every registry limit must be a positive number (--max-*, --analysis-*)");
        }
    }
}
