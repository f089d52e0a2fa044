package io.bpfstore.install;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.GlobalValueException;
import io.bpfstore.bytecode.object.GlobalValues;
import io.bpfstore.bytecode.object.ProgramTypes;
import io.bpfstore.store.manifest.Hook;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A package ready to install: its identity, where it came from, its object and its hook hints.
 *
 * @param repository the package's {@code namespace/name}
 * @param name       the package name (the default installation name)
 * @param version    its version
 * @param source     how to fetch it again ({@code NS/NAME@VERSION} from a registry, or a local path)
 * @param digest     the image manifest digest, or the object's sha256 for a bare object file
 * @param objectName the object's name as the loader uses it (internal map names derive from it)
 * @param object     the object file's bytes
 * @param hooks      the manifest's hook hints (priority, proceed-on) per entry program
 * @param signedBy   the fingerprint of the key whose signature verified, empty when not checked
 * @param types      program types for programs whose section names none (the manifest's {@code programs:}
 *                   types, recorded in the package label), applied by {@link #parse()}
 *
 * <p>Record equality compares {@code object} by reference, as for any array component: compare digests instead.
 */
public record ResolvedPackage(String repository, String name, String version, String source, String digest,
                              String objectName, byte[] object, List<Hook> hooks, Optional<String> signedBy,
                              ProgramTypes types) {
    /** Copies. */
    public ResolvedPackage {
        object = object.clone();
        hooks = List.copyOf(hooks);
        java.util.Objects.requireNonNull(types, "types");
    }

    /** A package whose sections name every program's type. */
    public ResolvedPackage(String repository, String name, String version, String source, String digest,
                           String objectName, byte[] object, List<Hook> hooks, Optional<String> signedBy) {
        this(repository, name, version, source, digest, objectName, object, hooks, signedBy, ProgramTypes.NONE);
    }

    /** Parsed objects by content: an install parses its package several times (policy, hook, preflight, composition). */
    private static final ContentMemo<Parsed, BpfObject> PARSED = new ContentMemo<>(64);

    /**
     * What a parse depends on: the bytes compared whole (a hash of them per call would cost more than the lookup
     * saves in the agent, whose JIT has no SHA intrinsics), the name and the types.
     */
    private record Parsed(byte[] bytes, int hash, String objectName, ProgramTypes types) {
        Parsed(byte[] bytes, String objectName, ProgramTypes types) {
            this(bytes, java.util.Arrays.hashCode(bytes), objectName, types);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Parsed p && hash == p.hash && java.util.Arrays.equals(bytes, p.bytes)
                    && objectName.equals(p.objectName) && types.equals(p.types);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** The parsed object, with {@link #types} applied (parsed once per content; {@link BpfObject} is immutable). */
    public BpfObject parse() {
        return PARSED.get(new Parsed(object, objectName, types), k -> types.applyTo(BpfObject.parse(object, objectName)));
    }

    /**
     * This package with its object's {@code .rodata}/{@code .data} variables set to {@code values} (typed from BTF);
     * the same package otherwise (digest, signature: what was verified is the package as published).
     *
     * @throws InstallException naming the variable and its type when the object cannot take a value
     */
    public ResolvedPackage configured(Map<String, String> values) {
        if (values.isEmpty()) {
            return this;
        }
        try {
            return new ResolvedPackage(repository, name, version, source, digest, objectName,
                    GlobalValues.configure(object, parse(), values), hooks, signedBy, types);
        } catch (GlobalValueException e) {
            throw new InstallException(e.getMessage());
        }
    }

    /** The hook hint for {@code program}, if the manifest gives one. */
    public Optional<Hook> hook(String program) {
        return hooks.stream().filter(h -> h.program().equals(program)).findFirst();
    }
}
