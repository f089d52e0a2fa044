package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.PerfEventFd;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.PerfEventAttr;

/**
 * The BPF perf link on a perf event ({@link PerfEventFd}): the link holds its own reference to the perf event, so the
 * event fd is closed once the link exists.
 */
final class PerfEventCall {
    private PerfEventCall() {
    }

    /** Opens the event and links {@code program} to it (BPF_LINK_CREATE with BPF_PERF_EVENT, kernel 5.15). */
    static BpfLink link(BpfProgram program, PerfEventAttr attr, int pid, int cpu, long cookie,
                           String what, String description) {
        try (Fd event = PerfEventFd.open(attr, pid, cpu, what)) {
            LinkCreation.Result result = LinkCreation.create(program, event.value(),
                    AttachType.PERF_EVENT, 0, a -> a.perfEventCookie(cookie), description);
            if (result.link() != null) {
                return result.link();
            }
            String explanation = switch (Errno.orNull(result.errno())) {
                case EINVAL -> "the program type does not fit this event (tracepoint programs on tracepoints, kprobe"
                        + " programs on kprobes, perf_event programs on perf events), or the kernel has no perf links (5.15)";
                case EEXIST -> "another program is attached to this perf event";
                case null, default -> null;
            };
            throw new BpfException(what, result.errno(), explanation, "");
        }
    }
}
