package io.bpfstore.kernel.loader;

import io.bpfstore.testsupport.ExternalTool;
import io.bpfstore.testsupport.ToolResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs bpftool (libbpf) as the loader's oracle, keeping failures as results: refusals are verdicts here. */
final class Bpftool {
    /** Exit status and combined output of one run. */
    record Result(int exit, String output) {
        Result(ToolResult run) {
            this(run.exit(), run.combined());
        }

        boolean ok() {
            return exit == 0;
        }
    }

    private Bpftool() {
    }

    /** {@code bpftool prog loadall OBJ DIR}: libbpf loads every program and pins each under DIR. */
    static Result loadAll(Path object, Path dir) {
        return run("prog", "loadall", object.toString(), dir.toString());
    }

    /**
     * {@code bpftool prog loadall OBJ DIR pinmaps MAPDIR}: also pins the maps, which keeps program arrays filled
     * (the kernel empties them when the last user-space reference to the map goes).
     */
    static Result loadAllPinningMaps(Path object, Path dir, Path mapDir) {
        return run("prog", "loadall", object.toString(), dir.toString(), "pinmaps", mapDir.toString());
    }

    static Result run(String... args) {
        List<String> command = new ArrayList<>(List.of("bpftool"));
        command.addAll(List.of(args));
        return new Result(ExternalTool.run(command));
    }
}
