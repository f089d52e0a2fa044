package io.bpfstore.kernel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A test-unique directory on a bpffs, removed with everything in it. It is /sys/fs/bpf/bst-test-&lt;pid&gt;-&lt;name&gt;
 * when /sys/fs/bpf is a mounted bpffs; otherwise the test mounts a private bpffs at
 * /tmp/bst-test-&lt;pid&gt;-&lt;name&gt; and unmounts it again, leaving the host's mounts alone.
 */
public final class PinDir implements AutoCloseable {
    private final Path path;
    private final boolean mountedHere;

    private PinDir(Path path, boolean mountedHere) {
        this.path = path;
        this.mountedHere = mountedHere;
    }

    /** Creates the directory. */
    public static PinDir create(String name) throws IOException {
        String unique = "bst-test-" + ProcessHandle.current().pid() + "-" + name;
        if (isBpffs(Path.of("/sys/fs/bpf"))) {
            Path dir = Path.of("/sys/fs/bpf", unique);
            Files.createDirectories(dir);
            return new PinDir(dir, false);
        }
        Path dir = Path.of("/tmp", unique);
        Files.createDirectories(dir);
        Oracles.run(List.of("mount", "-t", "bpf", "bpf", dir.toString()));
        return new PinDir(dir, true);
    }

    private static boolean isBpffs(Path mountPoint) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] fields = line.split(" ");
            if (fields.length > 2 && fields[1].equals(mountPoint.toString()) && fields[2].equals("bpf")) {
                return true;
            }
        }
        return false;
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
        if (mountedHere) { // a fresh bpffs has the kernel's own preload files: unmounting drops our pins with it
            Oracles.run(List.of("umount", path.toString()));
            Files.deleteIfExists(path);
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(path)).toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(path);
    }
}
