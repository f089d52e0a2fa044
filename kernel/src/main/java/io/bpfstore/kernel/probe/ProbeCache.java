package io.bpfstore.kernel.probe;

import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Probe results cached in a small text file, valid for one boot. The file names the boot id it was written
 * in; a file from another boot, or one that does not parse, is ignored and rewritten.
 */
public final class ProbeCache {
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static final String MAGIC = "bpfstore-kernel-features 1";
    private static final long MAX_FILE_SIZE = 1 << 20;

    private final Path directory;

    /** A cache in {@code directory} (created on first write). */
    public ProbeCache(Path directory) {
        this.directory = directory;
    }

    /**
     * The default cache directory: $BPFSTORE_CACHE_DIR if set; for root /var/cache/bpfstore; otherwise
     * $XDG_CACHE_HOME/bpfstore, falling back to ~/.cache/bpfstore.
     */
    public static Path defaultDirectory() {
        String explicit = System.getenv("BPFSTORE_CACHE_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        if (isRoot()) {
            return Path.of("/var/cache/bpfstore");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("bpfstore");
    }

    private static boolean isRoot() {
        return uid() == 0;
    }

    /** The effective uid (owner of /proc/self), or -1 if it cannot be read. */
    private static int uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    /** The id of the current boot. */
    public static String currentBootId() {
        try {
            return Files.readString(BOOT_ID).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + BOOT_ID + ": " + e.getMessage(), e);
        }
    }

    /**
     * The cache file. Its name carries the effective uid: what a probe finds depends on the caller's
     * privileges, so one user's answers must never be served to another.
     */
    public Path file() {
        return directory.resolve("kernel-features." + uid());
    }

    /**
     * The features of the running kernel: from the cache when it was written in this boot, otherwise probed
     * now and written to the cache (a cache that cannot be written is not an error: the probe result stands).
     */
    public KernelFeatures get() {
        String bootId = currentBootId();
        Optional<KernelFeatures> cached = load(bootId);
        return cached.isPresent() ? cached.get() : probe(bootId);
    }

    /** The features of the running kernel probed now, whatever the cache holds; cached as {@link #get} does. */
    public KernelFeatures refresh() {
        return probe(currentBootId());
    }

    private KernelFeatures probe(String bootId) {
        KernelFeatures features = FeatureProbe.probeAll(bootId);
        try {
            store(features);
        } catch (IOException e) {
            // Read-only or missing permissions: we probe again next time.
        }
        return features;
    }

    /** The cached features if the cache file exists, parses, and was written in boot {@code bootId}. */
    public Optional<KernelFeatures> load(String bootId) {
        Path file = file();
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE_SIZE) {
                return Optional.empty();
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8)).filter(f -> f.bootId().equals(bootId));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Writes the features atomically (temporary file, then rename). */
    public void store(KernelFeatures features) throws IOException {
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "kernel-features", ".tmp");
        try {
            Files.writeString(temporary, format(features), StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The text form of the cache. */
    static String format(KernelFeatures f) {
        StringBuilder out = new StringBuilder(MAGIC).append('\n');
        out.append("boot_id ").append(f.bootId()).append('\n');
        out.append("kernel ").append(f.kernelRelease()).append('\n');
        f.programTypes().forEach((t, s) -> out.append("program_type ").append(t.bpftoolName()).append(' ').append(s).append('\n'));
        f.mapTypes().forEach((t, s) -> out.append("map_type ").append(t.bpftoolName()).append(' ').append(s).append('\n'));
        f.helpers().forEach((t, ids) -> out.append("helpers ").append(t.bpftoolName()).append(' ').append(join(ids)).append('\n'));
        out.append("skipped_helpers ").append(join(f.skippedHelpers())).append('\n');
        f.misc().forEach((m, has) -> out.append("misc ").append(m.kernelName()).append(' ').append(has).append('\n'));
        return out.toString();
    }

    /** Parses the text form; empty on anything unexpected (the cache is then rebuilt). */
    static Optional<KernelFeatures> parse(String text) {
        String[] lines = text.split("\n");
        if (lines.length < 3 || !lines[0].equals(MAGIC)) {
            return Optional.empty();
        }
        String bootId = null;
        String kernel = null;
        Map<ProgramType, Support> programs = new EnumMap<>(ProgramType.class);
        Map<MapType, Support> maps = new EnumMap<>(MapType.class);
        Map<ProgramType, SortedSet<Integer>> helpers = new EnumMap<>(ProgramType.class);
        Set<Integer> skipped = new HashSet<>();
        Map<MiscFeature, Boolean> misc = new EnumMap<>(MiscFeature.class);
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            String[] f = line.split(" ", -1);
            String key = f[0];
            boolean ok;
            switch (key) {
                case "boot_id" -> {
                    ok = f.length == 2 && !f[1].isEmpty();
                    bootId = ok ? f[1] : bootId;
                }
                case "kernel" -> {
                    ok = f.length >= 2;
                    kernel = ok ? line.substring("kernel ".length()) : kernel;
                }
                case "program_type" -> ok = f.length == 3 && put(programs, ProgramType.fromBpftoolName(f[1]), support(f[2]));
                case "map_type" -> ok = f.length == 3 && put(maps, MapType.fromBpftoolName(f[1]), support(f[2]));
                case "helpers" -> ok = f.length == 3 && put(helpers, ProgramType.fromBpftoolName(f[1]), ids(f[2]));
                case "skipped_helpers" -> ok = f.length == 2 && ids(f[1]).map(skipped::addAll).isPresent();
                case "misc" -> ok = f.length == 3 && (f[2].equals("true") || f[2].equals("false"))
                        && put(misc, MiscFeature.named(f[1]), Optional.of(Boolean.parseBoolean(f[2])));
                default -> ok = false;
            }
            if (!ok) {
                return Optional.empty();
            }
        }
        if (bootId == null || kernel == null) {
            return Optional.empty();
        }
        return Optional.of(new KernelFeatures(bootId, kernel, programs, maps, helpers, skipped, misc));
    }

    /** Puts key → value when both are present; says whether it did. */
    private static <K, V> boolean put(Map<K, V> map, Optional<K> key, Optional<V> value) {
        if (key.isEmpty() || value.isEmpty()) {
            return false;
        }
        map.put(key.get(), value.get());
        return true;
    }

    private static Optional<Support> support(String name) {
        for (Support s : Support.values()) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static String join(Set<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** A comma-separated list of helper ids; empty when any item is not a number in 1..65535. */
    private static Optional<SortedSet<Integer>> ids(String list) {
        SortedSet<Integer> ids = new TreeSet<>();
        if (list.isEmpty()) {
            return Optional.of(ids);
        }
        for (String item : list.split(",", -1)) {
            if (item.isEmpty() || item.length() > 5 || !item.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            int id = Integer.parseInt(item);
            if (id < 1 || id > 65535) {
                return Optional.empty();
            }
            ids.add(id);
        }
        return Optional.of(ids);
    }
}
