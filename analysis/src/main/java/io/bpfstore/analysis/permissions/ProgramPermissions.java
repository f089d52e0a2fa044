package io.bpfstore.analysis.permissions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The permissions derived for one program, each with its evidence, and the capabilities they need.
 *
 * @param program  the program's name
 * @param evidence one entry per reason found (a permission may have several)
 */
public record ProgramPermissions(String program, List<Evidence> evidence) {
    /** Copies. */
    public ProgramPermissions {
        evidence = List.copyOf(evidence);
    }

    /** The permissions, in declaration order. */
    public Set<Permission> permissions() {
        EnumSet<Permission> s = EnumSet.noneOf(Permission.class);
        evidence.forEach(e -> s.add(e.permission()));
        return s;
    }

    /** Whether the program has {@code p}. */
    public boolean has(Permission p) {
        return evidence.stream().anyMatch(e -> e.permission() == p);
    }

    /** The evidence for {@code p}. */
    public List<Evidence> evidenceFor(Permission p) {
        return evidence.stream().filter(e -> e.permission() == p).toList();
    }

    /** The capabilities needed: CAP_BPF and each permission's. */
    public Set<Capability> capabilities() {
        EnumSet<Capability> s = EnumSet.of(Capability.CAP_BPF);
        evidence.forEach(e -> s.add(e.permission().capability()));
        return s;
    }

    /**
     * The evidence of every permission not in {@code declared}: empty when the declaration covers the program,
     * else what a publish refusal must name.
     */
    public List<Evidence> exceeding(Collection<Permission> declared) {
        List<Evidence> out = new ArrayList<>();
        for (Evidence e : evidence) {
            if (!declared.contains(e.permission())) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(program).append(" needs ").append(capabilities()).append(':');
        for (Evidence e : evidence) {
            sb.append("\n  ").append(e);
        }
        return sb.toString();
    }
}
