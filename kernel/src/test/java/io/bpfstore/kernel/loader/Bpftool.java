package io.bpfstore.kernel.loader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs bpftool (libbpf) as the loader's oracle, keeping failures as results: refusals are verdicts here. */
final class Bpftool {
    /** Exit status and combined output of one run. */
    record Result(int exit, String output) {
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
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within 120 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run bpftool (the CI installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
