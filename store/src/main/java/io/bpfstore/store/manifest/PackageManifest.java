package io.bpfstore.store.manifest;

import io.bpfstore.store.image.SemVer;
import io.bpfstore.store.image.RepositoryName;
import io.bpfstore.analysis.permissions.DeclaredPermissions;
import io.bpfstore.analysis.permissions.Permission;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.object.ProgramTypes;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A package's metadata as {@code bpfstore.yaml} declares it (or as {@link ManifestDefaults} derives it from an
 * object). Immutable and already validated: {@link ManifestParser} and {@link ManifestDefaults} make them.
 *
 * @param name        package name, an OCI repository segment
 * @param namespace   the publisher's namespace, an OCI repository segment
 * @param version     strict semantic version, also the OCI tag
 * @param description one paragraph, may be empty
 * @param license     SPDX licence expression
 * @param homepage    http(s) URL, if given
 * @param authors     free-form author strings
 * @param permissions the permissions the package declares it needs, as {@link Permission#id() ids} in
 *                    {@link Permission} order (the parser accepts ids and plain names and stores ids)
 * @param hooks       one entry per program that attaches at a dispatched hook
 * @param object      the object file ({@code .o}) or C source ({@code .c}), relative to the manifest's directory
 * @param globals     values for the object's {@code const volatile} variables ({@code .rodata}/{@code .data}) by
 *                    name, as text typed at load by the variable's BTF type; {@code install --set} overrides them
 * @param programs    per-program settings ({@code programs: NAME: {type: TYPE}}), one per program at most
 */
public record PackageManifest(String name, String namespace, SemVer version, String description, String license,
                              Optional<String> homepage, List<String> authors, List<String> permissions,
                              List<Hook> hooks, String object, Map<String, String> globals,
                              List<ProgramSetting> programs) {
    /** Copies the lists. */
    public PackageManifest {
        authors = List.copyOf(authors);
        permissions = List.copyOf(permissions);
        hooks = List.copyOf(hooks);
        globals = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(globals));
        programs = List.copyOf(programs);
    }

    /** A manifest with no per-program settings. */
    public PackageManifest(String name, String namespace, SemVer version, String description, String license,
                           Optional<String> homepage, List<String> authors, List<String> permissions,
                           List<Hook> hooks, String object, Map<String, String> globals) {
        this(name, namespace, version, description, license, homepage, authors, permissions, hooks, object, globals,
                List.of());
    }

    /** A manifest that sets no global variable. */
    public PackageManifest(String name, String namespace, SemVer version, String description, String license,
                           Optional<String> homepage, List<String> authors, List<String> permissions,
                           List<Hook> hooks, String object) {
        this(name, namespace, version, description, license, homepage, authors, permissions, hooks, object, Map.of());
    }

    /** The declared permissions, typed; the derived ones must not exceed them (see the publish check). */
    public DeclaredPermissions declaredPermissions() {
        return DeclaredPermissions.parse(permissions);
    }

    /** {@code namespace/name}: the package's repository in a registry. */
    public String repository() {
        return RepositoryName.of(namespace, name);
    }

    /** Whether the object is C source to compile first. */
    public boolean isSource() {
        return object.endsWith(".c");
    }

    /** The same manifest with another object path (after compiling, the {@code .o} replaces the {@code .c}). */
    public PackageManifest withObject(String newObject) {
        return new PackageManifest(name, namespace, version, description, license, homepage, authors, permissions,
                hooks, newObject, globals, programs);
    }

    /** The same manifest in another namespace. */
    public PackageManifest withNamespace(String newNamespace) {
        String problem = RepositoryName.problem(newNamespace);
        if (problem != null) {
            throw new ManifestException("namespace", problem);
        }
        return new PackageManifest(name, newNamespace, version, description, license, homepage, authors,
                permissions, hooks, object, globals, programs);
    }

    /** The program types {@code programs:} gives, by program name ({@code load --type PROGRAM=TYPE}'s form). */
    public ProgramTypes programTypes() {
        Map<String, ProgramType> byProgram = new java.util.LinkedHashMap<>();
        programs.forEach(p -> byProgram.put(p.program(), p.type()));
        return new ProgramTypes(Optional.empty(), byProgram);
    }

    /**
     * {@code object} with the types of {@code programs:} applied.
     *
     * @throws ManifestException at the entry's line and column when it names a program the object does not have
     */
    public BpfObject typed(BpfObject object) {
        ProgramTypes types = programTypes();
        for (String missing : types.missingFrom(object)) {
            ProgramSetting s = programs.stream().filter(p -> p.program().equals(missing)).findFirst().orElseThrow();
            throw new ManifestException("programs." + missing, s.at(), "the object has no program \"" + missing
                    + "\" (it has: " + String.join(", ", object.programs().stream().map(Program::name).toList())
                    + ")");
        }
        return types.applyTo(object);
    }
}
