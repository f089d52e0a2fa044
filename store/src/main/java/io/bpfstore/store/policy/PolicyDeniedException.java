package io.bpfstore.store.policy;

import io.bpfstore.bytecode.Reportable;
import java.util.stream.Collectors;

/** The host policy refuses a package; the message names every reason. */
public final class PolicyDeniedException extends RuntimeException implements Reportable {
    private static final long serialVersionUID = 1L;

    private final transient PolicyDecision decision;

    /** {@code decision} denies. */
    public PolicyDeniedException(PolicyDecision decision) {
        super("the host policy denies " + decision.subject() + ": " + decision.denials().stream()
                .map(PolicyDecision.Finding::message).collect(Collectors.joining("; ")));
        this.decision = decision;
    }

    /** The decision, with every finding. */
    public PolicyDecision decision() {
        return decision;
    }

    /** A denial is a finding about the package, not a failure to decide: {@link Reportable#FINDINGS}. */
    @Override
    public int exitStatus() {
        return FINDINGS;
    }
}
