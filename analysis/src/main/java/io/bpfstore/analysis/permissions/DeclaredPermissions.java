package io.bpfstore.analysis.permissions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The permissions a package declares, and the check a publish makes: the derived set must not exceed them.
 *
 * <pre>{@code
 * DeclaredPermissions declared = DeclaredPermissions.parse(List.of("inspects-interface-packets", "drops packets"));
 * List<Evidence> missing = declared.undeclared(PermissionAnalyzer.derive(object));
 * if (!missing.isEmpty()) refuse(DeclaredPermissions.explain(missing));
 * }</pre>
 *
 * @param permissions the declared set
 */
public record DeclaredPermissions(Set<Permission> permissions) {
    /** Copies the set (iteration follows the declaration order of {@link Permission}). */
    public DeclaredPermissions {
        EnumSet<Permission> copy = EnumSet.noneOf(Permission.class);
        copy.addAll(permissions);
        permissions = Collections.unmodifiableSet(copy);
    }

    /**
     * Reads names, each a permission {@link Permission#id() id} or its exact plain name; throws
     * {@link UnknownPermissionException} naming the first entry that is neither (by its index).
     */
    public static DeclaredPermissions parse(List<String> names) {
        EnumSet<Permission> out = EnumSet.noneOf(Permission.class);
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            int index = i;
            out.add(Permission.named(n).orElseThrow(() -> new UnknownPermissionException(index, n)));
        }
        return new DeclaredPermissions(out);
    }

    /** The union of every program's derived permissions: what a package built from the object may declare. */
    public static DeclaredPermissions derivedFrom(Map<String, ProgramPermissions> derived) {
        EnumSet<Permission> out = EnumSet.noneOf(Permission.class);
        derived.values().forEach(p -> out.addAll(p.permissions()));
        return new DeclaredPermissions(out);
    }

    /** The ids, in declaration order of {@link Permission}: how labels store a declaration. */
    public List<String> ids() {
        return permissions.stream().map(Permission::id).toList();
    }

    /**
     * The evidence of every derived permission not declared, over all programs in object order: empty when the
     * declaration covers the object.
     */
    public List<Evidence> undeclared(Map<String, ProgramPermissions> derived) {
        List<Evidence> out = new ArrayList<>();
        for (ProgramPermissions p : derived.values()) {
            out.addAll(p.exceeding(permissions));
        }
        return out;
    }

    /**
     * The refusal text for {@code undeclared} evidence: one paragraph per permission (id and plain name), then
     * each program, instruction and source line responsible (at most {@code 8} per permission, then a count).
     */
    public static String explain(Collection<Evidence> undeclared) {
        Map<Permission, List<Evidence>> byPermission = new TreeMap<>();
        for (Evidence e : undeclared) {
            byPermission.computeIfAbsent(e.permission(), k -> new ArrayList<>()).add(e);
        }
        StringBuilder sb = new StringBuilder("the object needs permissions the package does not declare (add them "
                + "to permissions: in bpfstore.yaml):");
        for (Map.Entry<Permission, List<Evidence>> entry : byPermission.entrySet()) {
            Permission p = entry.getKey();
            sb.append("\n  ").append(p.id()).append(" (").append(p.description()).append("), needs ")
                    .append(p.capability());
            List<Evidence> list = entry.getValue();
            for (int i = 0; i < Math.min(8, list.size()); i++) {
                sb.append("\n    ").append(where(list.get(i)));
            }
            if (list.size() > 8) {
                sb.append("\n    ... and ").append(list.size() - 8).append(" more");
            }
        }
        return sb.toString();
    }

    /** "program xdp_reflect, insn 12: r0 = 3 at xdp_reflect.c:40; may return XDP_TX". */
    static String where(Evidence e) {
        StringBuilder sb = new StringBuilder("program ").append(e.program());
        e.site().ifPresent(s -> {
            if (!s.function().equals(e.program())) {
                sb.append(" in ").append(s.function());
            }
            sb.append(", insn ").append(s.slot());
        });
        e.text().ifPresent(t -> sb.append(": ").append(t));
        e.line().ifPresent(l -> sb.append(" at ").append(l.fileName().substring(l.fileName().lastIndexOf('/') + 1))
                .append(':').append(l.line()));
        return sb.append("; ").append(e.reason()).toString();
    }
}
