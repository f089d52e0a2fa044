package io.bpfstore.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The filesystem a path lives on, from /proc/self/mounts (the longest mount point that contains it). */
final class Mounts {
    private Mounts() {
    }

    /** The filesystem type of the mount holding {@code path} (e.g. {@code bpf}), empty if unknown. */
    static String filesystemOf(Path path) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            real = path.toAbsolutePath().normalize();
        }
        String best = "";
        int bestLength = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length < 3) {
                    continue;
                }
                Path mount = Path.of(f[1].replace("\\040", " "));
                if (real.startsWith(mount) && mount.toString().length() >= bestLength) {
                    best = f[2]; // later lines are mounted over earlier ones: >= keeps the last
                    bestLength = mount.toString().length();
                }
            }
        } catch (IOException e) {
            return "";
        }
        return best;
    }
}
