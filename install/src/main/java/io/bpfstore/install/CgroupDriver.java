package io.bpfstore.install;

import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.link.CgroupAttach;
import io.bpfstore.kernel.link.CgroupFlags;
import io.bpfstore.kernel.link.CgroupOptions;
import io.bpfstore.kernel.link.BpfLink;
import java.nio.file.Files;
import java.util.List;

/**
 * cgroup v2 hooks: one link per program at the hook its attach type names, sharing the hook as BPF_F_ALLOW_MULTI
 * does; every cgroup program of the package attaches.
 *
 * @param target the cgroup directory
 */
record CgroupDriver(HookTarget.Cgroup target) implements LinkDriver {
    /** Whether {@code type} is one of the cgroup program types. */
    static boolean isCgroup(ProgramType type) {
        return switch (type) {
            case CGROUP_SKB, CGROUP_SOCK, CGROUP_SOCK_ADDR, SOCK_OPS, CGROUP_DEVICE, CGROUP_SYSCTL, CGROUP_SOCKOPT -> true;
            default -> false;
        };
    }

    @Override
    public boolean accepts(Program program) {
        return program.type().map(CgroupDriver::isCgroup).orElse(false);
    }

    @Override
    public void requireHook() {
        if (!Files.isDirectory(target.path())) {
            throw new InstallException("unknown cgroup " + target.path() + ": no such directory");
        }
        if (!Mounts.filesystemOf(target.path()).equals("cgroup2")) {
            throw new InstallException(target.path() + " is not a cgroup v2 directory (filesystem "
                    + Mounts.filesystemOf(target.path()) + ")");
        }
    }

    @Override
    public BpfLink link(Installation inst, BpfProgram program, Program definition, List<Neighbour> placed,
                           boolean beforeForeign) {
        return CgroupAttach.link(program, CgroupOptions.of(target.path(), definition.attachType().orElseThrow(() ->
                new InstallException("program " + definition.name() + " does not say which cgroup hook it is for "
                        + "(section " + definition.section() + ")")), CgroupFlags.ALLOW_MULTI));
    }
}
