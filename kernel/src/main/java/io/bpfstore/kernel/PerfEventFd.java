package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.Libc;
import io.bpfstore.kernel.sys.PerfEventAttr;

/**
 * {@code perf_event_open(2)} with the kernel's refusal explained: for perf links (kprobes, tracepoints, perf_event
 * programs) and for the per-CPU events a {@link PerfEventArrayReader} puts into a perf event array.
 */
public final class PerfEventFd {
    private PerfEventFd() {
    }

    /**
     * Opens a perf event for {@code pid} (-1: every process) on {@code cpu} (-1: every CPU; not both -1).
     *
     * @throws BpfException naming {@code what} if the kernel refuses
     */
    public static Fd open(PerfEventAttr attr, int pid, int cpu, String what) {
        int fd = Libc.perfEventOpen(attr, pid, cpu);
        if (fd < 0) {
            int errno = -fd;
            String explanation = switch (Errno.orNull(errno)) {
                case ENOENT -> "no such event (ENOENT from perf_event_open)";
                case EACCES -> "perf_event_open was denied (perf_event_paranoid, or no CAP_PERFMON)";
                case ENODEV -> "this PMU, event or CPU does not exist on this machine";
                case EINVAL -> "the kernel refused the event attributes";
                case null, default -> null;
            };
            throw new BpfException(what + ": perf_event_open", errno, explanation, "");
        }
        return new Fd(fd);
    }
}
