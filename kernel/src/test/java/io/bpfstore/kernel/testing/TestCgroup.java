package io.bpfstore.kernel.testing;

import io.bpfstore.kernel.inventory.CgroupScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cgroup v2 directory made for one test under the cgroup2 mount ({@code bst-test-<pid>-<name>}), removed
 * in {@link #close} after moving any process still in it to the parent.
 */
public final class TestCgroup implements AutoCloseable {
    private final Path path;

    private TestCgroup(Path path) {
        this.path = path;
    }

    /** Creates the cgroup; fails loudly if no cgroup2 hierarchy is mounted. */
    public static TestCgroup create(String name) throws IOException {
        Reaper.reap();
        Path root = CgroupScan.cgroup2Root()
                .orElseThrow(() -> new AssertionError("no cgroup2 hierarchy is mounted; cgroup tests need one"));
        Path dir = root.resolve("bst-test-" + ProcessHandle.current().pid() + "-" + name);
        if (Files.isDirectory(dir)) {
            Files.delete(dir); // a leftover of this pid (pids are reused): it is empty or the delete fails loudly
        }
        Files.createDirectory(dir);
        return new TestCgroup(dir);
    }

    /** The directory. */
    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        if (!Files.isDirectory(path)) {
            return;
        }
        for (String pid : Files.readAllLines(path.resolve("cgroup.procs"))) {
            if (!pid.isBlank()) {
                Files.writeString(path.getParent().resolve("cgroup.procs"), pid.strip());
            }
        }
        for (int attempt = 0; ; attempt++) {
            try {
                Files.delete(path); // rmdir: EBUSY until exited members are fully gone
                return;
            } catch (IOException e) {
                if (attempt == 50) {
                    throw e;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
