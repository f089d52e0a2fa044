package io.bpfstore.kernel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A test-unique directory on a bpffs, removed with everything in it: a private bpffs the test mounts at
 * /tmp/bst-test-&lt;pid&gt;-&lt;name&gt; and unmounts again, whether or not the host has one at /sys/fs/bpf. Not the
 * host's: {@code ip netns exec} and {@code tc -n} remount /sys in their own mount namespace, where a pin under
 * /sys/fs/bpf is not visible, and the host's mounts stay untouched.
 */
public final class PinDir implements AutoCloseable {
    private final Path path;

    private PinDir(Path path) {
        this.path = path;
    }

    /** Creates the directory. */
    public static PinDir create(String name) throws IOException {
        String unique = "bst-test-" + ProcessHandle.current().pid() + "-" + name;
        Path dir = Path.of("/tmp", unique);
        Files.createDirectories(dir);
        Oracles.run(List.of("mount", "-t", "bpf", "bpf", dir.toString()));
        return new PinDir(dir);
    }

    /** A path inside the directory. */
    public Path resolve(String name) {
        return path.resolve(name);
    }

    @Override
    public void close() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        // a fresh bpffs has the kernel's own preload files: unmounting drops our pins with it
        Oracles.run(List.of("umount", path.toString()));
        Files.deleteIfExists(path);
    }
}
