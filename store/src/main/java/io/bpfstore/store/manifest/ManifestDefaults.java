package io.bpfstore.store.manifest;

import io.bpfstore.store.image.SemVer;
import io.bpfstore.store.image.RepositoryName;
import io.bpfstore.analysis.permissions.DeclaredPermissions;
import io.bpfstore.analysis.permissions.PermissionAnalyzer;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The manifest of an object packaged without {@code bpfstore.yaml}: name from the file name, version
 * {@value #DEFAULT_VERSION}, licence from the object's {@code license} section mapped to SPDX, and one hook per
 * program at a dispatched hook with the default priority and proceed-on actions. Its declared permissions are
 * the derived ones: with no {@code bpfstore.yaml} there is no claim to check, and the package still shows users
 * everything the analysis found.
 */
public final class ManifestDefaults {
    /** The version of a package whose manifest does not give one. */
    public static final String DEFAULT_VERSION = "0.1.0";
    /** The namespace of a package whose manifest does not give one. */
    public static final String DEFAULT_NAMESPACE = "local";

    private ManifestDefaults() {
    }

    /** The manifest derived from {@code object}, read from the file named {@code fileName} (e.g. xdp_counter.o). */
    public static PackageManifest derive(BpfObject object, String fileName) {
        String name = nameOf(fileName);
        String license = SpdxLicense.fromKernelLicense(object.license())
                .orElseThrow(() -> new ManifestException("license", "the object's license section says \""
                        + object.license() + "\", which has no SPDX identifier: write a bpfstore.yaml with license:"));
        return new PackageManifest(name, DEFAULT_NAMESPACE, new SemVer(DEFAULT_VERSION), "", license,
                Optional.empty(), List.of(), DeclaredPermissions.derivedFrom(PermissionAnalyzer.derive(object)).ids(),
                hooksOf(object), fileName);
    }

    /** The default hooks: one per program whose hook has a dispatcher. */
    public static List<Hook> hooksOf(BpfObject object) {
        List<Hook> hooks = new ArrayList<>();
        for (Program p : object.programs()) {
            HookActions.forProgramType(ProgramKind.of(p))
                    .ifPresent(a -> hooks.add(new Hook(p.name(), Hook.DEFAULT_PRIORITY, a.defaults())));
        }
        return hooks;
    }

    /** A package name from a file name: the part before the first dot, lower case, {@code _} becoming {@code -}. */
    public static String nameOf(String fileName) {
        int dot = fileName.indexOf('.');
        String base = (dot > 0 ? fileName.substring(0, dot) : fileName).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (base.length() > RepositoryName.MAX_SEGMENT) {
            base = base.substring(0, RepositoryName.MAX_SEGMENT).replaceAll("-+$", "");
        }
        String problem = RepositoryName.problem(base);
        if (problem != null) {
            throw new ManifestException("name", "cannot derive a package name from \"" + fileName + "\": " + problem);
        }
        return base;
    }

    /**
     * Checks a manifest's hooks against the object: every hook names an entry program, at a hook with a
     * dispatcher, with proceed-on actions of that hook. Hooks the manifest leaves out get the defaults.
     */
    public static List<Hook> resolveHooks(PackageManifest manifest, BpfObject object) {
        List<Hook> resolved = new ArrayList<>();
        for (int i = 0; i < manifest.hooks().size(); i++) {
            Hook h = manifest.hooks().get(i);
            String where = "hooks[" + i + "]";
            Program p = object.program(h.program()).orElseThrow(() -> new ManifestException(where + ".program",
                    "the object has no program \"" + h.program() + "\" (it has: "
                            + String.join(", ", object.programs().stream().map(Program::name).toList()) + ")"));
            String kind = ProgramKind.of(p);
            Optional<HookActions> actions = HookActions.forProgramType(kind);
            if (actions.isEmpty() && !h.proceedOn().isEmpty()) {
                throw new ManifestException(where + ".proceed_on", "a " + kind
                        + " program has no dispatcher, so no proceed-on actions");
            }
            for (String a : h.proceedOn()) {
                if (actions.isPresent() && !actions.get().actions().contains(a)) {
                    throw new ManifestException(where + ".proceed_on", "\"" + a + "\" is not a " + kind
                            + " action (" + String.join(", ", actions.get().actions()) + ")");
                }
            }
            resolved.add(h.proceedOn().isEmpty() && actions.isPresent()
                    ? new Hook(h.program(), h.priority(), actions.get().defaults()) : h);
        }
        for (Hook d : hooksOf(object)) {
            if (resolved.stream().noneMatch(h -> h.program().equals(d.program()))) {
                resolved.add(d);
            }
        }
        return resolved;
    }
}
