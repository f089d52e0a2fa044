package io.bpfstore.agent.api;

import io.bpfstore.install.api.Trust;

/**
 * A follow rule: keep installation {@code installation} at the newest version of its registry package that
 * matches {@code versions}, polling every {@code intervalSeconds}.
 *
 * @param installation    the installation name
 * @param versions        a version range ({@code *}, {@code 1.x}, {@code ^1.2.0}, {@code ~1.2.0}, {@code >=1.2.0 <2.0.0}, {@code 1.2.3})
 * @param intervalSeconds seconds between polls
 * @param trust           how new versions are admitted (registry, keys, policy), as for upgrade
 * @param refusedVersion  the newest version a gate refused, not retried until something changes (read-only)
 * @param refusedReason   why (read-only)
 * @param lastChecked     when the registry was last asked, ISO-8601 (read-only)
 */
public record FollowRule(String installation, String versions, long intervalSeconds, Trust trust,
                         String refusedVersion, String refusedReason, String lastChecked) {
    /** Defaults: every version, once a minute. */
    public FollowRule {
        versions = versions == null || versions.isBlank() ? "*" : versions;
        intervalSeconds = intervalSeconds <= 0 ? 60 : intervalSeconds;
        trust = trust == null ? Trust.defaults() : trust;
    }

    /** This rule with a refusal recorded. */
    public FollowRule refused(String version, String reason) {
        return new FollowRule(installation, versions, intervalSeconds, trust, version, reason, lastChecked);
    }

    /** This rule with the time of the last poll. */
    public FollowRule checkedAt(String when) {
        return new FollowRule(installation, versions, intervalSeconds, trust, refusedVersion, refusedReason, when);
    }
}
