package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.AttachType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cgroup hooks keep one program unless it was attached with {@code BPF_F_ALLOW_MULTI}. The kernel's rules
 * ({@code __cgroup_bpf_attach}): at the same cgroup, an attach with the same flags as the exclusive program already
 * there replaces it without an error, one with other flags (a bpf_link is always multi) is refused with EPERM; below
 * an ancestor's exclusive program every attach is refused (EPERM); below an ancestor's {@code BPF_F_ALLOW_OVERRIDE}
 * program a new program takes its place for the whole subtree (the ancestor's stops running there). Multi
 * programs run together, so they are no clash.
 */
final class CgroupHookCheck {
    private CgroupHookCheck() {
    }

    /** Findings for every cgroup program of the packages against the programs at the target and its ancestors. */
    static List<Finding> check(List<CheckedPackage> packages, HostView host) {
        List<Finding> out = new ArrayList<>();
        if (host.cgroup().isEmpty()) {
            return out;
        }
        String target = host.cgroup().get();
        for (CheckedPackage pkg : packages) {
            for (Program p : pkg.object().programs()) {
                Optional<AttachType> hook = cgroupHook(p);
                if (hook.isEmpty()) {
                    continue;
                }
                for (HostView.CgroupOccupant o : host.cgroups()) {
                    if (o.attachType() != hook.get() || host.owned().contains(o.programId())
                            || (o.attachFlags() & HostView.CgroupOccupant.ALLOW_MULTI) != 0) {
                        continue;
                    }
                    out.add(finding(pkg, p, hook.get(), o, target));
                }
            }
        }
        return out;
    }

    /** The cgroup hook a program attaches to, when its section names one. */
    static Optional<AttachType> cgroupHook(Program p) {
        return p.attachType().filter(a -> a.name().startsWith("CGROUP_"));
    }

    private static Finding finding(CheckedPackage pkg, Program p, AttachType hook, HostView.CgroupOccupant o,
                                   String target) {
        List<Subject> subjects = List.of(new Subject.PackageRef(pkg.name()),
                new Subject.ProgramRef(pkg.name(), p.name()), new Subject.CgroupRef(o.cgroup(), hook.libbpfName()),
                new Subject.ForeignProgram(o.programId(), o.programName()));
        String theirs = "program " + o.programId() + " '" + o.programName() + "'";
        String ours = p.name() + " of " + pkg.name();
        boolean override = (o.attachFlags() & HostView.CgroupOccupant.ALLOW_OVERRIDE) != 0;
        String flags = override ? "BPF_F_ALLOW_OVERRIDE" : "no flags (exclusive)";
        if (!o.ancestor()) {
            return new Finding(FindingClass.SILENT_REPLACEMENT, Severity.ERROR, subjects,
                    theirs + " (not installed by bpfstore) is attached to " + hook.libbpfName() + " of cgroup "
                            + o.cgroup() + " with " + flags + ", without BPF_F_ALLOW_MULTI, so the hook keeps one "
                            + "program: attaching " + ours + " the same way would replace it without an error, and "
                            + "as a bpf_link (multi) the kernel refuses it (EPERM)",
                    "detach " + theirs + " (bpftool cgroup detach " + o.cgroup() + " " + hook.libbpfName()
                            + " id " + o.programId() + ") or have its owner re-attach it with BPF_F_ALLOW_MULTI; "
                            + "or attach " + p.name() + " to another cgroup");
        }
        if (override) {
            return new Finding(FindingClass.SILENT_REPLACEMENT, Severity.ERROR, subjects,
                    theirs + " (not installed by bpfstore) is attached to " + hook.libbpfName() + " of the ancestor "
                            + "cgroup " + o.cgroup() + " with BPF_F_ALLOW_OVERRIDE: attaching " + ours + " at "
                            + target + " overrides it there, so " + theirs + " silently stops running for every "
                            + "process in " + target + " and below",
                    "attach " + p.name() + " at " + o.cgroup() + " if both must run, or have the owner of " + theirs
                            + " re-attach it with BPF_F_ALLOW_MULTI");
        }
        return new Finding(FindingClass.EXCLUSIVE_HOOK, Severity.ERROR, subjects,
                theirs + " (not installed by bpfstore) is attached to " + hook.libbpfName() + " of the ancestor "
                        + "cgroup " + o.cgroup() + " without BPF_F_ALLOW_OVERRIDE or BPF_F_ALLOW_MULTI: the kernel "
                        + "refuses (EPERM) any program on that hook below it, so " + ours + " cannot attach at "
                        + target,
                "have the owner of " + theirs + " re-attach it with BPF_F_ALLOW_MULTI, or detach it");
    }
}
