package io.bpfstore.kernel.testing;

import io.bpfstore.kernel.inventory.CgroupScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes what earlier test runs left behind when they died before their teardown: network namespaces
 * {@code bst-<pid>-<n>}, test mounts /tmp/bst-test-&lt;pid&gt;-* and test cgroups bst-test-&lt;pid&gt;-* under the
 * cgroup2 mount, each only if process {@code pid} no longer runs (a live one is another test JVM at work).
 */
public final class Reaper {
    private static final Pattern NAMESPACE = Pattern.compile("bst-(\\d+)-\\d+");
    private static final Pattern TEST_PATH = Pattern.compile("bst-test-(\\d+)-.*");

    private Reaper() {
    }

    /** Reaps namespaces, mounts and cgroups of dead test processes. */
    public static void reap() {
        for (String ns : TestNetwork.namespaces()) {
            Matcher m = NAMESPACE.matcher(ns);
            if (m.matches() && dead(m.group(1))) {
                Oracles.run(List.of("ip", "netns", "del", ns));
            }
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] fields = line.split(" ");
                if (fields.length > 1 && fields[1].startsWith("/tmp/bst-test-")) {
                    Matcher m = TEST_PATH.matcher(Path.of(fields[1]).getFileName().toString());
                    if (m.matches() && dead(m.group(1))) {
                        Oracles.run(List.of("umount", fields[1]));
                        Files.deleteIfExists(Path.of(fields[1]));
                    }
                }
            }
            Path root = CgroupScan.cgroup2Root().orElse(null);
            if (root != null) {
                try (Stream<Path> children = Files.list(root)) {
                    for (Path dir : children.toList()) {
                        Matcher m = TEST_PATH.matcher(dir.getFileName().toString());
                        if (m.matches() && dead(m.group(1)) && Files.isDirectory(dir)) {
                            Files.delete(dir); // rmdir: a cgroup with members or children stays (and is reported)
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError("reaping leftovers of earlier test runs failed: " + e.getMessage(), e);
        }
    }

    private static boolean dead(String pid) {
        long p = Long.parseLong(pid);
        return p != ProcessHandle.current().pid() && !ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false);
    }
}
