package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.LinkCreateAttr;
import java.lang.foreign.Arena;
import java.util.function.Consumer;

/** BPF_LINK_CREATE with the per-hook part of the attribute filled in by the caller. */
final class LinkCreation {
    private LinkCreation() {
    }

    /**
     * Creates a link, or returns {@code -errno} so that the caller can explain the refusal in the hook's terms.
     *
     * @param hookAttributes writes the per-hook union (tcx anchor, perf event cookie ...); may do nothing
     */
    static Result create(BpfProgram program, int target, AttachType attachType, int flags,
                         Consumer<LinkCreateAttr> hookAttributes, String description) {
        try (Arena arena = Arena.ofConfined()) {
            LinkCreateAttr attr = new LinkCreateAttr(arena).progFd(program.fd().value()).target(target)
                    .attachType(attachType.number()).flags(flags);
            hookAttributes.accept(attr);
            long result = BpfSyscall.invoke(BpfCommand.LINK_CREATE, attr.segment());
            if (result < 0) {
                return new Result(null, (int) -result);
            }
            return new Result(BpfLink.adopt(Fd.of(result), description), 0);
        }
    }

    /** A created link, or the errno of the refusal. @param link the link, null if refused @param errno 0 or the errno */
    record Result(BpfLink link, int errno) {
    }
}
