package io.bpfstore.registry.limits;

import java.time.Duration;

/**
 * The caps on what callers can make a registry spend; {@link #DEFAULT} documents the defaults (docs/registry.md
 * lists them too, and {@code bpfstore serve --help} prints the flags that change them).
 *
 * @param analysisThreads          threads analysing pushed objects (permissions, disassembly, clash card)
 * @param analysisBudget           time one analysis may take before the object counts as too large
 * @param analysisInstructions     largest object the web UI analyses, in instruction slots over all programs
 * @param uploadSessionsPerAccount open upload sessions one publisher may hold
 * @param uploadSessionsTotal      open upload sessions in all
 * @param stagedBytesPerAccount    bytes one publisher's unfinished uploads may hold
 * @param stagedBytesTotal         bytes all unfinished uploads may hold
 * @param failedLoginsPerMinute    failed credential checks allowed per client address and per account per minute
 * @param tokenRequestsPerMinute   {@code /token} requests allowed per client address per minute
 */
public record RegistryLimits(int analysisThreads, Duration analysisBudget, int analysisInstructions,
                             int uploadSessionsPerAccount, int uploadSessionsTotal, long stagedBytesPerAccount,
                             long stagedBytesTotal, int failedLoginsPerMinute, int tokenRequestsPerMinute) {
    /**
     * One analysis thread (the machine also serves), 20 s and 100,000 instructions per object; 16 upload sessions
     * and 2 GiB staged per publisher, 256 sessions and 16 GiB in all; 10 failed logins and 120 token requests per
     * minute.
     */
    public static final RegistryLimits DEFAULT = new RegistryLimits(1, Duration.ofSeconds(20), 100_000, 16, 256,
            2L << 30, 16L << 30, 10, 120);

    /** Checks every cap is positive. */
    public RegistryLimits {
        if (analysisThreads < 1 || analysisBudget.isNegative() || analysisBudget.isZero() || analysisInstructions < 1
                || uploadSessionsPerAccount < 1 || uploadSessionsTotal < 1 || stagedBytesPerAccount < 1
                || stagedBytesTotal < 1 || failedLoginsPerMinute < 1 || tokenRequestsPerMinute < 1) {
            throw new IllegalArgumentException("every registry limit must be positive: " + this);
        }
    }

    /** These limits with other upload caps. */
    public RegistryLimits withUploads(int sessionsPerAccount, int sessionsTotal, long bytesPerAccount, long bytesTotal) {
        return new RegistryLimits(analysisThreads, analysisBudget, analysisInstructions, sessionsPerAccount,
                sessionsTotal, bytesPerAccount, bytesTotal, failedLoginsPerMinute, tokenRequestsPerMinute);
    }

    /** These limits with other rates. */
    public RegistryLimits withRates(int failedLogins, int tokenRequests) {
        return new RegistryLimits(analysisThreads, analysisBudget, analysisInstructions, uploadSessionsPerAccount,
                uploadSessionsTotal, stagedBytesPerAccount, stagedBytesTotal, failedLogins, tokenRequests);
    }

    /** These limits with another analysis budget. */
    public RegistryLimits withAnalysis(int threads, Duration budget, int instructions) {
        return new RegistryLimits(threads, budget, instructions, uploadSessionsPerAccount, uploadSessionsTotal,
                stagedBytesPerAccount, stagedBytesTotal, failedLoginsPerMinute, tokenRequestsPerMinute);
    }
}
