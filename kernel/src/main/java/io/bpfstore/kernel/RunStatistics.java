package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.EnableStatsAttr;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.SyscallException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Kernel-wide run statistics (run_cnt, run_time_ns of every program), switched on by BPF_ENABLE_STATS for
 * as long as this handle is open. Counting costs a little on every program run, which is why the kernel
 * keeps it off by default (sysctl kernel.bpf_stats_enabled is the other switch).
 */
public final class RunStatistics extends FdHandle {
    private RunStatistics(Fd fd) {
        super(fd);
    }

    /** Turns statistics on until {@link #close}. */
    public static RunStatistics enable() {
        try (Arena arena = Arena.ofConfined()) {
            EnableStatsAttr attr = new EnableStatsAttr(arena).type(EnableStatsAttr.BPF_STATS_RUN_TIME);
            return new RunStatistics(Fd.of(BpfSyscall.call(BpfCommand.ENABLE_STATS, attr.segment())));
        } catch (SyscallException e) {
            throw BpfException.of("enable run-time statistics", e);
        }
    }

    /** The sysctl that shows (and sets) whether the kernel counts; it also reads 1 while a handle is open. */
    public static final Path SYSCTL = Path.of("/proc/sys/kernel/bpf_stats_enabled");

    /** How a user turns counting on for the whole host (until reboot). */
    public static final String HOW_TO_ENABLE = "sysctl -w kernel.bpf_stats_enabled=1";

    /**
     * Whether the kernel counts runs now (by the sysctl or by an open handle of any process); empty when the
     * sysctl cannot be read (no procfs, an old kernel).
     */
    public static Optional<Boolean> counting() {
        try {
            return Optional.of(!Files.readString(SYSCTL).strip().equals("0"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
