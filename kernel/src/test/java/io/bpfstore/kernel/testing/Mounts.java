package io.bpfstore.kernel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A filesystem this test mounts at a test-unique directory (/tmp/bst-test-&lt;pid&gt;-&lt;name&gt;) and unmounts
 * again, e.g. a private tracefs when /sys/kernel/tracing is empty. The host's own mounts are not touched.
 */
public final class Mounts implements AutoCloseable {
    private final Path path;

    private Mounts(Path path) {
        this.path = path;
    }

    /** Mounts a filesystem of {@code type} (tracefs, bpf ...) at a fresh test directory. */
    public static Mounts mount(String type, String name) throws IOException {
        Reaper.reap();
        Path dir = Path.of("/tmp", "bst-test-" + ProcessHandle.current().pid() + "-" + name);
        Files.createDirectories(dir);
        try {
            Oracles.run(List.of("mount", "-t", type, "nodev", dir.toString()));
        } catch (AssertionError e) {
            Files.deleteIfExists(dir);
            throw e;
        }
        return new Mounts(dir);
    }

    /** The mount point. */
    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        Oracles.run(List.of("umount", path.toString()));
        Files.deleteIfExists(path);
    }
}
