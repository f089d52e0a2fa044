package io.bpfstore.kernel.inventory;

import io.bpfstore.bytecode.sections.AttachType;
import java.nio.file.Path;

/**
 * A program attached to a cgroup hook, whether through a link or the legacy BPF_PROG_ATTACH.
 *
 * @param cgroup      the cgroup directory
 * @param cgroupId    the cgroup id (inode number)
 * @param attachType  the hook
 * @param programId   the attached program
 * @param attachFlags the hook's attach flags (BPF_F_ALLOW_OVERRIDE = 1, BPF_F_ALLOW_MULTI = 2)
 */
public record CgroupAttachment(Path cgroup, long cgroupId, AttachType attachType, int programId, int attachFlags) {
}
