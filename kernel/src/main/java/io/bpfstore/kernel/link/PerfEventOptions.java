package io.bpfstore.kernel.link;

import io.bpfstore.kernel.sys.PerfEventAttr;

/**
 * Which perf event {@link PerfEvent#attach} opens and how often the program runs.
 *
 * @param type      the PMU type: 0 hardware, 1 software, 2 tracepoint, 3 hw cache, 4 raw, 5 breakpoint, or a
 *                  dynamic PMU's number from /sys/bus/event_source/devices/NAME/type
 * @param config    the event within the type (software: 0 cpu-clock, 1 task-clock, 2 page-faults, 3
 *                  context-switches ...; hardware: 0 cpu-cycles, 1 instructions ...)
 * @param period    with {@code frequency} false: the program runs once per {@code period} events (for the clock
 *                  events: nanoseconds); with {@code frequency} true: the program runs {@code period} times a second
 * @param frequency whether {@code period} is a frequency in Hz
 * @param cpu       the CPU to watch; -1 for every CPU (then {@code pid} must name a process)
 * @param pid       the process to watch; -1 for every process on {@code cpu}
 * @param cookie    a value the program reads with bpf_get_attach_cookie; 0 if unused
 */
public record PerfEventOptions(int type, long config, long period, boolean frequency, int cpu, int pid, long cookie) {
    /** PERF_COUNT_SW_CPU_CLOCK: a per-CPU high-resolution timer, available on every machine and VM. */
    public static final long SOFTWARE_CPU_CLOCK = 0;

    /** Checks the fields. */
    public PerfEventOptions {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        if (cpu < -1 || pid < -1 || (cpu == -1 && pid == -1)) {
            throw new IllegalArgumentException("cpu " + cpu + " and pid " + pid + ": at least one must be given, -1 means all");
        }
    }

    /** The software cpu-clock on {@code cpu}, firing {@code hertz} times a second, for every process. */
    public static PerfEventOptions cpuClock(int cpu, long hertz) {
        return new PerfEventOptions(PerfEventAttr.TYPE_SOFTWARE, SOFTWARE_CPU_CLOCK, hertz, true, cpu, -1, 0);
    }
}
