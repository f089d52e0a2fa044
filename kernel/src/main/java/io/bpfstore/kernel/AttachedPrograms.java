package io.bpfstore.kernel;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.ProgQueryAttr;
import io.bpfstore.kernel.sys.SyscallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

/**
 * The programs attached to one hook, from BPF_PROG_QUERY.
 *
 * @param programIds  attached program ids in run order
 * @param linkIds     for link-based hooks (tcx, netkit), the link of each program (0 where none); else empty
 * @param attachFlags the hook's attach flags (cgroup: BPF_F_ALLOW_MULTI etc.)
 * @param revision    the hook's revision (tcx, netkit; 0 elsewhere)
 */
public record AttachedPrograms(List<Integer> programIds, List<Integer> linkIds, int attachFlags, long revision) {
    private static final int MAX_PROGRAMS = 1 << 16;

    /** Copies the lists. */
    public AttachedPrograms {
        programIds = List.copyOf(programIds);
        linkIds = List.copyOf(linkIds);
    }

    /**
     * Queries a hook.
     *
     * @param target     a cgroup directory fd, or an ifindex for tcx/netkit
     * @param attachType the hook
     * @param effective  for cgroups: the programs that run (inherited included), not only those attached here
     */
    public static AttachedPrograms query(int target, AttachType attachType, boolean effective) {
        String what = "query programs attached as " + attachType.libbpfName() + " to target " + target;
        try (Arena arena = Arena.ofConfined()) {
            int capacity = 64;
            while (true) {
                MemorySegment progIds = arena.allocate(ValueLayout.JAVA_INT, capacity);
                MemorySegment linkIds = arena.allocate(ValueLayout.JAVA_INT, capacity);
                ProgQueryAttr attr = new ProgQueryAttr(arena).target(target).attachType(attachType.number())
                        .queryFlags(effective ? 1 : 0).progIds(progIds, capacity).linkIds(linkIds);
                long result = BpfSyscall.invoke(BpfCommand.PROG_QUERY, attr.segment());
                int count = attr.progCnt();
                if (Errno.ENOSPC.is((int) -result) && count > capacity && count <= MAX_PROGRAMS) { // ENOSPC: buffer too small
                    capacity = count;
                    continue;
                }
                if (result < 0) {
                    throw BpfException.of(what, new SyscallException(BpfCommand.PROG_QUERY, (int) -result));
                }
                int n = Math.min(count, capacity);
                List<Integer> progs = Arrays.stream(progIds.asSlice(0, n * 4L).toArray(ValueLayout.JAVA_INT)).boxed().toList();
                List<Integer> links = Arrays.stream(linkIds.asSlice(0, n * 4L).toArray(ValueLayout.JAVA_INT)).boxed().toList();
                boolean anyLink = links.stream().anyMatch(id -> id != 0);
                return new AttachedPrograms(progs, anyLink ? links : List.of(), attr.attachFlags(), attr.revision());
            }
        }
    }
}
