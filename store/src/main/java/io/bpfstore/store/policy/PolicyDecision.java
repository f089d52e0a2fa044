package io.bpfstore.store.policy;

import java.util.List;

/**
 * A host policy's verdict on a package, with every reason: each rule that applied says what it found, and the
 * package is allowed only when none denies.
 *
 * @param subject  what was judged (reference and digest)
 * @param findings every rule's finding, signature first, then permissions, then program types
 */
public record PolicyDecision(String subject, List<Finding> findings) {
    /** Copies the list. */
    public PolicyDecision {
        findings = List.copyOf(findings);
    }

    /** Which rule a finding comes from. */
    public enum Rule {
        /** Trusted signers and allow-unsigned. */
        SIGNATURE,
        /** deny-permissions. */
        PERMISSION,
        /** allow-program-types. */
        PROGRAM_TYPE
    }

    /**
     * One rule's finding.
     *
     * @param rule    the rule
     * @param denies  whether it refuses the package
     * @param message what it found, in plain words
     */
    public record Finding(Rule rule, boolean denies, String message) {
    }

    /** Whether the package may be installed. */
    public boolean allowed() {
        return findings.stream().noneMatch(Finding::denies);
    }

    /** The findings that refuse the package. */
    public List<Finding> denials() {
        return findings.stream().filter(Finding::denies).toList();
    }

    /** Throws {@link PolicyDeniedException} naming every denial unless the package is allowed. */
    public void requireAllowed() {
        if (!allowed()) {
            throw new PolicyDeniedException(this);
        }
    }

    /** "allow"/"deny", then one line per finding. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(allowed() ? "allow " : "deny ").append(subject);
        for (Finding f : findings) {
            sb.append("\n  ").append(f.denies() ? "deny  " : "ok    ").append(f.rule().name().toLowerCase()
                    .replace('_', '-')).append(": ").append(f.message());
        }
        return sb.toString();
    }
}
