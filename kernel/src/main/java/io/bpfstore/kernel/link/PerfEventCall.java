package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Fd;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * {@code perf_event_open(2)} through {@code syscall(2)} (libc has no wrapper), and the BPF perf link on top:
 * the link holds its own reference to the perf event, so the event fd is closed once the link exists.
 */
final class PerfEventCall {
    private static final long PERF_FLAG_FD_CLOEXEC = 8;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(
            LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    private PerfEventCall() {
    }

    private static long syscallNumber() {
        return switch (BpfSyscall.platform()) {
            case X86_64 -> 298;
            case AARCH64 -> 241;
        };
    }

    /**
     * Opens a perf event for {@code pid} (-1: every process) on {@code cpu} (-1: every CPU; not both -1).
     *
     * @throws BpfException naming {@code what} if the kernel refuses
     */
    static Fd open(PerfEventAttr attr, int pid, int cpu, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long fd = (long) SYSCALL.invokeExact(state, syscallNumber(), attr.segment(), (long) pid, (long) cpu, -1L,
                    PERF_FLAG_FD_CLOEXEC);
            if (fd < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                String explanation = switch (Errno.orNull(errno)) {
                    case ENOENT -> "no such event (ENOENT from perf_event_open)";
                    case EACCES -> "perf_event_open was denied (perf_event_paranoid, or no CAP_PERFMON)";
                    case ENODEV -> "this PMU or event does not exist on this machine";
                    case EINVAL -> "the kernel refused the event attributes";
                    case null, default -> null;
                };
                throw new BpfException(what + ": perf_event_open", errno, explanation, "");
            }
            return Fd.of(fd);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("perf_event_open downcall failed", t);
        }
    }

    /** Opens the event and links {@code program} to it (BPF_LINK_CREATE with BPF_PERF_EVENT, kernel 5.15). */
    static BpfLink link(BpfProgram program, PerfEventAttr attr, int pid, int cpu, long cookie,
                           String what, String description) {
        try (Fd event = open(attr, pid, cpu, what)) {
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
