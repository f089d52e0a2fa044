package io.bpfstore.store.policy;

import io.bpfstore.analysis.permissions.Permission;
import io.bpfstore.analysis.permissions.PermissionAnalyzer;
import io.bpfstore.analysis.permissions.ProgramPermissions;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.store.build.PackageContents;
import io.bpfstore.store.client.PackageReference;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.FetchPurpose;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.layout.OciLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a host policy judges: a package (by reference and manifest digest), what checking its signature found,
 * the permissions derived from its object (with their evidence) and its programs' types.
 *
 * <pre>{@code
 * PolicyDecision d = policy.evaluate(PolicySubject.of("examples/xdp-counter@1.0.0", digest, check, contents));
 * }</pre>
 *
 * @param reference    how the user named the package, e.g. {@code examples/xdp-counter@1.0.0}
 * @param namespace    the publisher namespace (selects the trusted signers)
 * @param digest       the manifest digest
 * @param signature    what checking the signature found
 * @param permissions  the derived permissions, by program name
 * @param programTypes the program type of each program, by program name
 */
public record PolicySubject(String reference, String namespace, Digest digest, SignatureCheck signature,
                            Map<String, ProgramPermissions> permissions, Map<String, ProgramType> programTypes) {
    /** Copies the maps, keeping their order. */
    public PolicySubject {
        permissions = Collections.unmodifiableMap(new LinkedHashMap<>(permissions));
        programTypes = Collections.unmodifiableMap(new LinkedHashMap<>(programTypes));
    }

    /** The subject of a package image read back ({@link PackageContents}); the namespace is the label's. */
    public static PolicySubject of(String reference, Digest digest, SignatureCheck signature,
                                   PackageContents contents) {
        return new PolicySubject(reference, contents.label().path("namespace").asText(), digest, signature,
                contents.derived(), types(contents.object()));
    }

    /** The subject of {@code object} published in {@code namespace}; derives its permissions. */
    public static PolicySubject of(String reference, String namespace, Digest digest, SignatureCheck signature,
                                   BpfObject object) {
        return new PolicySubject(reference, namespace, digest, signature, PermissionAnalyzer.derive(object),
                types(object));
    }

    /**
     * The package in the OCI layout {@code dir} (as {@code bpfstore package} writes it): a local layout carries no
     * registry signature, so the signature is {@link SignatureCheck.NotChecked}.
     */
    public static PolicySubject ofLayout(Path dir) throws IOException {
        Image image = OciLayout.read(dir, Optional.empty());
        PackageContents contents = PackageContents.of(image);
        return of(contents.repository() + "@" + contents.version() + " (layout " + dir + ")", image.digest(),
                new SignatureCheck.NotChecked("a local layout carries no registry signature"), contents);
    }

    /**
     * {@code ref} at {@code reference} (its version or digest) in the registry {@code client} talks to: its
     * signature checked against {@code policy}'s signers, its contents pulled (digests verified) into a temporary
     * layout that is removed again. The downloads count as {@link FetchPurpose#POLICY}.
     */
    public static PolicySubject pull(RegistryClient client, PackageReference ref, String reference, HostPolicy policy)
            throws IOException {
        RegistryClient fetching = client.withPurpose(FetchPurpose.POLICY);
        Digest digest = Digest.of(fetching.manifest(ref.repository(), reference));
        SignatureCheck signature = policy.checkSignature(fetching, ref.repository(), digest);
        Path temp = Files.createTempDirectory("bpfstore-policy");
        try {
            Path layout = temp.resolve("layout");
            fetching.pull(ref.repository(), digest.toString(), null, layout);
            return of(ref.toString(), digest, signature, PackageContents.of(OciLayout.read(layout, Optional.empty())));
        } finally {
            OciLayout.deleteTree(temp);
        }
    }

    /** The union of every program's permissions. */
    public Set<Permission> allPermissions() {
        EnumSet<Permission> out = EnumSet.noneOf(Permission.class);
        permissions.values().forEach(p -> out.addAll(p.permissions()));
        return out;
    }

    private static Map<String, ProgramType> types(BpfObject object) {
        Map<String, ProgramType> out = new LinkedHashMap<>();
        for (Program p : object.programs()) {
            out.put(p.name(), p.type().orElse(ProgramType.UNSPEC));
        }
        return out;
    }
}
