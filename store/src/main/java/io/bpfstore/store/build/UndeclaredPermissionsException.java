package io.bpfstore.store.build;

import io.bpfstore.bytecode.Reportable;
import io.bpfstore.analysis.permissions.DeclaredPermissions;
import io.bpfstore.analysis.permissions.Evidence;
import io.bpfstore.analysis.permissions.Permission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A package's object does more than its manifest declares: publishing is refused. The message names each
 * undeclared permission (id and plain name) and the program, instruction and source line responsible.
 */
public final class UndeclaredPermissionsException extends RuntimeException implements Reportable {
    private static final long serialVersionUID = 1L;

    private final transient List<Evidence> evidence;

    /** {@code what} (a package name or file) has {@code evidence} of permissions it does not declare. */
    public UndeclaredPermissionsException(String what, List<Evidence> evidence) {
        super(what + ": " + DeclaredPermissions.explain(evidence));
        this.evidence = List.copyOf(evidence);
    }

    /** The evidence of every undeclared permission. */
    public List<Evidence> evidence() {
        return evidence;
    }

    /** The undeclared permissions. */
    public Set<Permission> permissions() {
        EnumSet<Permission> out = EnumSet.noneOf(Permission.class);
        evidence.forEach(e -> out.add(e.permission()));
        return out;
    }

    /** The first line, marked as refused for the user. */
    @Override
    public String userMessage() {
        return "refused: " + Reportable.super.userMessage();
    }
}
