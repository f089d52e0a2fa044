package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.kernel.BpfProgram;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how {@link CgroupAttach} attaches a cgroup program.
 *
 * @param path           the cgroup v2 directory (e.g. /sys/fs/cgroup/app); cgroup v1 hierarchies have no BPF hooks
 * @param attachType     the hook, e.g. {@link AttachType#CGROUP_INET_INGRESS}; the program must have been loaded
 *                       for it (its type, and for some hooks its expected attach type, must match)
 * @param flags          sharing of the hook (BPF_PROG_ATTACH only; links always share like ALLOW_MULTI)
 * @param replaceProgram with {@link CgroupFlags#REPLACE}: the attached program to take the place of; empty otherwise
 */
public record CgroupOptions(Path path, AttachType attachType, CgroupFlags flags, Optional<BpfProgram> replaceProgram) {

    /** Checks that REPLACE comes with the program to replace, and only then. */
    public CgroupOptions {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(attachType, "attachType");
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(replaceProgram, "replaceProgram");
        if ((flags == CgroupFlags.REPLACE) != replaceProgram.isPresent()) {
            throw new IllegalArgumentException("REPLACE needs the program to replace, and only REPLACE takes one");
        }
    }

    /** {@code attachType} of the cgroup at {@code path}, with the given flags, replacing nothing. */
    public static CgroupOptions of(Path path, AttachType attachType, CgroupFlags flags) {
        return new CgroupOptions(path, attachType, flags, Optional.empty());
    }

    /** Replaces {@code old} on {@code attachType} of the cgroup at {@code path} (flags REPLACE). */
    public static CgroupOptions replacing(Path path, AttachType attachType, BpfProgram old) {
        return new CgroupOptions(path, attachType, CgroupFlags.REPLACE, Optional.of(old));
    }
}
