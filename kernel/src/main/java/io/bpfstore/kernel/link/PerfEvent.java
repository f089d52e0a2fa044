package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.sys.PerfEventAttr;
import java.lang.foreign.Arena;

/**
 * Attaches perf_event programs to a perf event (a sampling timer, a hardware counter overflow ...):
 * perf_event_open, then a perf link. The program runs each time the event samples.
 */
public final class PerfEvent {
    private PerfEvent() {
    }

    /**
     * Opens the event the options describe and attaches {@code program} (perf_event) to it.
     *
     * @throws io.bpfstore.kernel.BpfException if the event cannot be opened or the link refused
     */
    public static BpfLink attach(BpfProgram program, PerfEventOptions options) {
        String what = "attach perf_event " + program.describe() + " to perf event type " + options.type() + " config "
                + options.config() + (options.cpu() >= 0 ? " on cpu " + options.cpu() : "")
                + (options.pid() >= 0 ? " for pid " + options.pid() : "");
        ProgramCheck.require(program, what, ProgramType.PERF_EVENT);
        try (Arena arena = Arena.ofConfined()) {
            PerfEventAttr attr = new PerfEventAttr(arena).type(options.type()).config(options.config())
                    .samplePeriod(options.period()).flags(options.frequency() ? PerfEventAttr.FLAG_FREQ : 0);
            return PerfEventCall.link(program, attr, options.pid(), options.cpu(), options.cookie(), what,
                    "perf_event " + program.describe() + " on type " + options.type() + " config " + options.config());
        }
    }
}
