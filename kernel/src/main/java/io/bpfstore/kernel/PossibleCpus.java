package io.bpfstore.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The number of possible CPUs (/sys/devices/system/cpu/possible), which sizes the values of per-CPU maps:
 * user space reads and writes one value slot, rounded up to 8 bytes, per possible CPU.
 */
public final class PossibleCpus {
    private static final Path POSSIBLE = Path.of("/sys/devices/system/cpu/possible");
    private static final Path ONLINE = Path.of("/sys/devices/system/cpu/online");
    private static volatile int count;

    private PossibleCpus() {
    }

    /** The number of possible CPUs. */
    public static int count() {
        int cached = count;
        if (cached == 0) {
            try {
                cached = parse(Files.readString(POSSIBLE).strip());
            } catch (IOException e) {
                throw new UncheckedIOException("read " + POSSIBLE + ": " + e.getMessage(), e);
            }
            count = cached;
        }
        return cached;
    }

    /** The CPUs online now (/sys/devices/system/cpu/online), in order: perf events open only on those. */
    public static int[] online() {
        String list;
        try {
            list = Files.readString(ONLINE).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + ONLINE + ": " + e.getMessage(), e);
        }
        return members(list);
    }

    /** Every CPU of a list such as {@code 0-3,8-11}. */
    static int[] members(String list) {
        java.util.stream.IntStream.Builder out = java.util.stream.IntStream.builder();
        for (String part : list.split(",")) {
            String[] range = part.strip().split("-");
            try {
                int from = Integer.parseInt(range[0].strip());
                int to = Integer.parseInt(range[range.length - 1].strip());
                for (int cpu = from; cpu <= to && cpu <= 65535; cpu++) {
                    out.add(cpu);
                }
            } catch (NumberFormatException e) {
                throw new IllegalStateException("unreadable CPU list \"" + list + "\"", e);
            }
        }
        return out.build().toArray();
    }

    /** Parses a CPU list such as {@code 0-3,8-11}: the highest CPU number plus one. */
    static int parse(String list) {
        int highest = -1;
        for (String part : list.split(",")) {
            String[] range = part.split("-");
            try {
                highest = Math.max(highest, Integer.parseInt(range[range.length - 1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("unreadable CPU list \"" + list + "\" in " + POSSIBLE, e);
            }
        }
        if (highest < 0 || highest > 65535) {
            throw new IllegalStateException("implausible CPU list \"" + list + "\" in " + POSSIBLE);
        }
        return highest + 1;
    }
}
