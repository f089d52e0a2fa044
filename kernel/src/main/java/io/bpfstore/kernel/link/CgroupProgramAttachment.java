package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.kernel.AttachedPrograms;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.Cgroup;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.ProgAttachAttr;
import java.lang.foreign.Arena;

/**
 * A program attached to a cgroup hook with BPF_PROG_ATTACH. It holds its own references to the cgroup and
 * the program, so {@link #close} can detach exactly this program (BPF_PROG_DETACH with its fd) whatever the
 * caller closed meanwhile. If the program was replaced since (a later NONE/ALLOW_OVERRIDE attach replaces
 * the program in place, REPLACE takes its slot), close finds it gone and leaves the successor alone: the
 * kernel would detach a single-program hook's program whatever fd is named.
 */
public final class CgroupProgramAttachment extends DetachingAttachment {
    private final Cgroup cgroup;
    private final BpfProgram program;
    private final AttachType attachType;

    CgroupProgramAttachment(Cgroup cgroup, BpfProgram program, AttachType attachType, String description) {
        super(description);
        this.cgroup = cgroup;
        this.program = program;
        this.attachType = attachType;
    }

    /** The id of the attached program. */
    public int programId() {
        return program.id();
    }

    @Override
    void detach() {
        // A hook attached without ALLOW_MULTI detaches its one program whatever fd is passed: make sure it is ours.
        if (!AttachedPrograms.query(cgroup.fd().value(), attachType, false).programIds().contains(program.id())) {
            release();
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            ProgAttachAttr attr = new ProgAttachAttr(arena).target(cgroup.fd().value()).attachBpfFd(program.fd().value())
                    .attachType(attachType.number());
            long result = BpfSyscall.invoke(BpfCommand.PROG_DETACH, attr.segment());
            if (result < 0 && result != -Errno.ENOENT.number()) {
                throw new BpfException("detach " + describe(), (int) -result, null, "");
            }
            release();
        }
    }

    private void release() {
        cgroup.close();
        program.close();
    }
}
