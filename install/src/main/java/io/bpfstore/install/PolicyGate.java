package io.bpfstore.install;

import io.bpfstore.store.image.Digest;
import io.bpfstore.store.policy.HostPolicy;
import io.bpfstore.store.policy.PolicyDecision;
import io.bpfstore.store.policy.PolicySubject;
import io.bpfstore.store.policy.SignatureCheck;
import io.bpfstore.store.client.PackageReference;

/**
 * The host policy's say on a package about to be installed or upgraded to: its signature as the pull verified it,
 * the permissions derived from its object and its program types, judged by the {@link HostPolicy}. Runs before
 * anything touches the kernel, so a denial leaves nothing loaded, attached or recorded.
 */
public final class PolicyGate {
    private PolicyGate() {
    }

    /** What {@code policy} decides about {@code pkg}; the caller refuses on {@link PolicyDecision#allowed() deny}. */
    public static PolicyDecision decide(HostPolicy policy, ResolvedPackage pkg) {
        SignatureCheck signature = pkg.signedBy().<SignatureCheck>map(SignatureCheck.Verified::new)
                .orElseGet(() -> new SignatureCheck.NotChecked(pkg.source().startsWith("/")
                        ? "a local package (" + pkg.source() + ") carries no registry signature"
                        : "the signature was not verified (--allow-unsigned, or a policy allowing unsigned packages)"));
        String namespace = PackageReference.parse(pkg.repository()).namespace();
        String reference = pkg.repository() + "@" + pkg.version();
        return policy.evaluate(PolicySubject.of(reference, namespace, Digest.parse(pkg.digest()), signature,
                pkg.parse()));
    }
}
