package io.bpfstore.install;

import io.bpfstore.analysis.permissions.PermissionAnalyzer;
import io.bpfstore.analysis.permissions.ProgramPermissions;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.store.image.Digest;
import java.util.LinkedHashMap;
import java.util.Map;
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
    /** Permissions derived per object content and program types: a pure function, and the gate's costliest part. */
    private static final ContentMemo<Derived, Map<String, ProgramPermissions>> DERIVED = new ContentMemo<>(64);

    /** What the derived permissions depend on. */
    private record Derived(String sha256, String objectName, Map<String, ProgramType> types) {
    }

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
        BpfObject object = pkg.parse();
        Map<String, ProgramType> types = new LinkedHashMap<>();
        object.programs().forEach(p -> types.put(p.name(), p.type().orElse(ProgramType.UNSPEC)));
        Map<String, ProgramPermissions> permissions = DERIVED.get(new Derived(object.sha256(), object.name(), Map.copyOf(types)),
                k -> PermissionAnalyzer.derive(object));
        return policy.evaluate(new PolicySubject(reference, namespace, Digest.parse(pkg.digest()), signature,
                permissions, types));
    }
}
