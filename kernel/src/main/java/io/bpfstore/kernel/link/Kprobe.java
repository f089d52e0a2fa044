package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.sys.PerfEventAttr;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Attaches kprobe programs to kernel functions through the kprobe PMU (perf_event_open with the type read
 * from /sys/bus/event_source/devices/kprobe/type, the function name in config1, the kretprobe bit from
 * format/retprobe), then a perf link. Kernels built without CONFIG_KPROBES have no kprobe PMU and no
 * kprobe_events file: attaching then fails with an {@link UnsupportedHookException} saying so.
 */
public final class Kprobe {
    static final Path PMU = Path.of("/sys/bus/event_source/devices/kprobe");

    private Kprobe() {
    }

    /**
     * Attaches {@code program} (kprobe) to the function the options name.
     *
     * @throws UnsupportedHookException if the kernel has no kprobe support
     * @throws io.bpfstore.kernel.BpfException if the function cannot be probed or the link is refused
     */
    public static BpfLink attach(BpfProgram program, KprobeOptions options) {
        String kind = options.retprobe() ? "kretprobe" : "kprobe";
        String what = "attach " + kind + " " + program.describe() + " to " + options.function()
                + (options.offset() != 0 ? "+0x" + Long.toHexString(options.offset()) : "");
        ProgramCheck.require(program, what, ProgramType.KPROBE);
        int type = pmuType().orElseThrow(() -> new UnsupportedHookException(what, "this kernel has no kprobe support: "
                + "there is no kprobe PMU (" + PMU + ")" + (legacyKprobeEvents() ? "" : " and no kprobe_events in tracefs")
                + "; the kernel was built without CONFIG_KPROBES"));
        try (Arena arena = Arena.ofConfined()) {
            PerfEventAttr attr = new PerfEventAttr(arena).type(type).config1(arena.allocateFrom(options.function()))
                    .config2(options.offset());
            if (options.retprobe()) {
                attr.config(1L << retprobeBit(what));
            }
            return PerfEventCall.link(program, attr, -1, 0, options.cookie(), what,
                    kind + " " + program.describe() + " on " + options.function());
        }
    }

    /** The dynamic PMU type of kprobes, empty when the kernel has none. */
    static Optional<Integer> pmuType() {
        try {
            return Optional.of(Integer.parseInt(Files.readString(PMU.resolve("type")).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean legacyKprobeEvents() {
        return Tracefs.find().map(t -> Files.exists(t.resolve("kprobe_events"))).orElse(false);
    }

    /** The config bit that turns a kprobe into a kretprobe, from format/retprobe ("config:0"). */
    private static int retprobeBit(String what) {
        Path file = PMU.resolve("format").resolve("retprobe");
        try {
            String text = Files.readString(file).strip();
            if (!text.startsWith("config:")) {
                throw new UnsupportedHookException(what, "unexpected kretprobe format \"" + text + "\" in " + file);
            }
            return Integer.parseInt(text.substring("config:".length()));
        } catch (IOException | NumberFormatException e) {
            throw new UnsupportedHookException(what, "this kernel's kprobe PMU has no kretprobe bit (" + file + ")");
        }
    }
}
