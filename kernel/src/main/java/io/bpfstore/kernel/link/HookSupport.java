package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.LinkCreateAttr;
import io.bpfstore.kernel.sys.ProgQueryAttr;
import java.lang.foreign.Arena;

/**
 * Feature probes that turn a bare EINVAL from an attach into "this kernel has no such hook". Each probe
 * only asks (queries, no attachment), so it is safe to run on a production host.
 */
final class HookSupport {

    private HookSupport() {
    }

    /**
     * Whether the kernel knows the tcx attach types (6.6): BPF_PROG_QUERY for BPF_TCX_INGRESS on
     * {@code ifindex} answers EINVAL on older kernels.
     */
    static boolean tcx(int ifindex) {
        try (Arena arena = Arena.ofConfined()) {
            ProgQueryAttr attr = new ProgQueryAttr(arena).target(ifindex).attachType(AttachType.TCX_INGRESS.number());
            return BpfSyscall.invoke(BpfCommand.PROG_QUERY, attr.segment()) != -Errno.EINVAL.number();
        }
    }

    /**
     * Whether the kernel has BPF_LINK_CREATE at all (5.7): a link create with an invalid program fd answers
     * EBADF where the command exists and EINVAL where it does not. (XDP links came in 5.9; on 5.7 and 5.8 the
     * XDP link create itself answers EINVAL and the caller reports that.)
     */
    static boolean linkCreate() {
        try (Arena arena = Arena.ofConfined()) {
            LinkCreateAttr attr = new LinkCreateAttr(arena).progFd(-1).target(1)
                    .attachType(AttachType.XDP.number());
            return BpfSyscall.invoke(BpfCommand.LINK_CREATE, attr.segment()) != -Errno.EINVAL.number();
        }
    }
}
