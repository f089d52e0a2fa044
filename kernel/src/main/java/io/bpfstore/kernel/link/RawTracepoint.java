package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.RawTracepointOpenAttr;
import java.lang.foreign.Arena;

/**
 * Attaches raw tracepoint programs (BPF_RAW_TRACEPOINT_OPEN): the program gets the tracepoint's raw
 * arguments instead of the formatted record, no tracefs and no perf event involved. The result is a link.
 */
public final class RawTracepoint {

    private RawTracepoint() {
    }

    /**
     * Attaches {@code program} (raw_tracepoint or raw_tracepoint_writable) to the tracepoint {@code name}
     * (e.g. {@code sched_switch}, without category).
     *
     * @throws BpfException if there is no such tracepoint or the kernel refuses
     */
    public static BpfLink attach(BpfProgram program, String name) {
        String what = "attach raw tracepoint " + program.describe() + " to " + name;
        ProgramCheck.require(program, what, ProgramType.RAW_TRACEPOINT, ProgramType.RAW_TRACEPOINT_WRITABLE);
        try (Arena arena = Arena.ofConfined()) {
            RawTracepointOpenAttr attr = new RawTracepointOpenAttr(arena).name(arena.allocateFrom(name))
                    .progFd(program.fd().value());
            long result = BpfSyscall.invoke(BpfCommand.RAW_TRACEPOINT_OPEN, attr.segment());
            if (result < 0) {
                String explanation = switch (Errno.orNull((int) -result)) {
                    case ENOENT -> "the kernel has no tracepoint named \"" + name + "\"";
                    case EINVAL -> "the tracepoint refused the program (a writable program on a read-only tracepoint?)";
                    case null, default -> null;
                };
                throw new BpfException(what, (int) -result, explanation, "");
            }
            String description = "raw tracepoint " + program.describe() + " on " + name;
            return BpfLink.adopt(Fd.of(result), description);
        }
    }
}
