package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.PerfEventAttr;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Attaches tracepoint programs to kernel tracepoints: perf_event_open on the tracepoint's id (read from
 * tracefs, events/CATEGORY/NAME/id), then a perf link (BPF_LINK_CREATE with BPF_PERF_EVENT). The program
 * runs on every CPU whenever the tracepoint fires.
 */
public final class Tracepoint {
    private static final int PERF_TYPE_TRACEPOINT = 2;

    private Tracepoint() {
    }

    /**
     * Attaches {@code program} to tracepoint {@code category/name} (e.g. sched/sched_process_exec), finding
     * tracefs with {@link Tracefs#find()}.
     *
     * @throws UnsupportedHookException if tracefs is not mounted
     */
    public static BpfLink attach(BpfProgram program, String category, String name) {
        String what = what(program, category, name);
        Path tracefs = Tracefs.find().orElseThrow(() -> new UnsupportedHookException(what,
                "tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing): tracepoint ids are read from it"));
        return attach(program, category, name, tracefs);
    }

    /** Attaches {@code program} to tracepoint {@code category/name}, reading its id from the tracefs at {@code tracefs}. */
    public static BpfLink attach(BpfProgram program, String category, String name, Path tracefs) {
        String what = what(program, category, name);
        ProgramCheck.require(program, what, ProgramType.TRACEPOINT);
        if (category.isEmpty() || name.isEmpty() || (category + name).contains("/") || (category + name).contains("..")) {
            throw new IllegalArgumentException("not a tracepoint: \"" + category + "/" + name + "\"");
        }
        long id = id(tracefs, category, name, what);
        try (Arena arena = Arena.ofConfined()) {
            PerfEventAttr attr = new PerfEventAttr(arena).type(PERF_TYPE_TRACEPOINT).config(id);
            return PerfEventCall.link(program, attr, -1, 0, 0, what, "tracepoint " + program.describe() + " on "
                    + category + "/" + name);
        }
    }

    private static long id(Path tracefs, String category, String name, String what) {
        Path file = tracefs.resolve("events").resolve(category).resolve(name).resolve("id");
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (NoSuchFileException e) {
            throw new BpfException(what, Errno.ENOENT.number(), "no tracepoint " + category + "/" + name + " in " + tracefs
                    + " (see its available_events)", "");
        } catch (IOException | NumberFormatException e) {
            throw new BpfException(what, Errno.ENOENT.number(), "cannot read the tracepoint id from " + file + ": " + e.getMessage(), "");
        }
    }

    private static String what(BpfProgram program, String category, String name) {
        return "attach tracepoint " + program.describe() + " to " + category + "/" + name;
    }
}
