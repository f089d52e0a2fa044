package io.bpfstore.kernel.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where tracefs is mounted: the tracepoint ids and the legacy kprobe_events file live there. Looks at
 * /sys/kernel/tracing and /sys/kernel/debug/tracing, then at any tracefs in /proc/self/mounts.
 */
public final class Tracefs {
    private Tracefs() {
    }

    /** The tracefs mount point of this mount namespace, if one is mounted. */
    public static Optional<Path> find() {
        for (Path candidate : List.of(Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing"))) {
            if (Files.isDirectory(candidate.resolve("events"))) {
                return Optional.of(candidate);
            }
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] fields = line.split(" ");
                if (fields.length > 2 && fields[2].equals("tracefs")) {
                    return Optional.of(Path.of(fields[1].replace("\\040", " ")));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
