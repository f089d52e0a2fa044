package io.bpfstore.kernel.inventory;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.PinnedObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every pin on every bpffs mounted in this mount namespace: which program, map or link each file holds.
 * Bounded (depth and count) so a huge or looping tree cannot stall {@code ps}.
 */
public final class PinScan {
    private static final int MAX_DEPTH = 16;
    private static final int MAX_PINS = 100_000;

    private PinScan() {
    }

    /** The bpffs mount points listed in {@code /proc/self/mounts}. */
    public static List<Path> mounts() {
        try {
            Set<Path> out = new LinkedHashSet<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("bpf")) {
                    out.add(Path.of(f[1].replace("\\040", " ")));
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("read /proc/self/mounts: " + e.getMessage(), e);
        }
    }

    /** Every pin under every bpffs mount, in path order; pins that vanish or cannot be opened are skipped. */
    public static List<PinnedObject> scan() {
        List<PinnedObject> pins = new ArrayList<>();
        for (Path mount : mounts()) {
            try (Stream<Path> files = Files.walk(mount, MAX_DEPTH)) {
                for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    if (pins.size() >= MAX_PINS) {
                        return List.copyOf(pins);
                    }
                    try {
                        PinnedObject.read(p).ifPresent(pins::add);
                    } catch (BpfException | UncheckedIOException e) {
                        // removed meanwhile, or not ours to open: the inventory shows what it can read
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // a mount we may not walk: skip it
            }
        }
        return List.copyOf(pins);
    }
}
