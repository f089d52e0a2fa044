package io.bpfstore.analysis.clash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.bytecode.sections.MapType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link MapMemory} against the kernel: each definition is created for real with bpftool in a private bpffs, and the
 * kernel's own count ({@code bytes_memlock}, from the map's fdinfo) is the oracle.
 */
class MapMemoryTest {
    private static final Path PINS = Path.of("/tmp", "bst-" + ProcessHandle.current().pid() + "-mapmem");
    private static final Pattern MEMLOCK = Pattern.compile("\"bytes_memlock\":(\\d+)");

    @BeforeAll
    static void mount() {
        assertEquals("0", run("id", "-u").strip(), "creating maps needs root (CI runs as root)");
        try {
            Files.createDirectories(PINS);
        } catch (IOException e) {
            fail("create " + PINS + ": " + e.getMessage());
        }
        run("mount", "-t", "bpf", "bpf", PINS.toString());
    }

    @AfterAll
    static void unmount() throws IOException {
        run("umount", PINS.toString());
        Files.delete(PINS);
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(String.join(" ", cmd) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(cmd[0] + " is required by this test and could not be started", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int possibleCpus() throws IOException {
        String range = Files.readString(Path.of("/sys/devices/system/cpu/possible")).strip();
        int cpus = 0;
        for (String part : range.split(",")) {
            String[] ends = part.split("-");
            cpus += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        return cpus;
    }

    /** What the kernel counts for a map of this definition, created by bpftool. */
    private static long kernelCount(MapDefinition m) {
        Path pin = PINS.resolve("m");
        run("bpftool", "map", "create", pin.toString(), "type", MapType.nameOf(m.type()), "key",
                Long.toString(m.keySize()), "value", Long.toString(m.valueSize()), "entries",
                Long.toString(m.maxEntries()), "name", "bst_mem", "flags", Long.toString(m.flags()));
        try {
            Matcher mm = MEMLOCK.matcher(run("bpftool", "-j", "map", "show", "pinned", pin.toString()));
            assertTrue(mm.find(), "bpftool shows no bytes_memlock");
            return Long.parseLong(mm.group(1));
        } finally {
            try {
                Files.delete(pin);
            } catch (IOException e) {
                fail("unpin " + pin + ": " + e.getMessage());
            }
        }
    }

    private static MapDefinition def(MapType type, long key, long value, long entries, long flags) {
        return new MapDefinition("bst_mem", ".maps", type.number(), key, value, entries, flags, 0, 0, 0,
                Optional.empty());
    }

    @Test
    void estimatesMatchTheKernelsCount() throws Exception {
        int cpus = possibleCpus();
        List<MapDefinition> defs = new ArrayList<>(List.of(
                def(MapType.ARRAY, 4, 8, 1, 0), def(MapType.ARRAY, 4, 60, 100_000, 0),
                def(MapType.PERCPU_ARRAY, 4, 12, 1024, 0), def(MapType.HASH, 4, 8, 1, 0),
                def(MapType.HASH, 16, 64, 100_000, 0), def(MapType.HASH, 4, 8, 1000, 1),
                def(MapType.PERCPU_HASH, 8, 16, 3000, 0), def(MapType.LRU_HASH, 4, 8, 1024, 0),
                def(MapType.LRU_PERCPU_HASH, 4, 8, 1024, 0), def(MapType.RINGBUF, 0, 0, 4096, 0),
                def(MapType.RINGBUF, 0, 0, 1 << 20, 0), def(MapType.PROG_ARRAY, 4, 4, 16, 0),
                def(MapType.PERF_EVENT_ARRAY, 4, 4, cpus, 0), def(MapType.SOCKHASH, 4, 4, 1024, 0),
                def(MapType.SOCKMAP, 4, 4, 1024, 0)));
        // And every map of the example catalog, as its object defines it.
        try (var files = Files.list(Path.of(System.getProperty("bpf.objects")))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".o")).sorted().toList()) {
                for (MapDefinition m : Material.example(p.getFileName().toString()).object().maps()) {
                    // Sizes libbpf fills in at load time (a prog array's value) are left out: bpftool needs them.
                    boolean sized = m.type() == MapType.RINGBUF.number() || m.keySize() > 0 && m.valueSize() > 0;
                    if (m.section().equals(".maps") && m.inner().isEmpty() && m.maxEntries() > 0 && sized) {
                        defs.add(m);
                    }
                }
            }
        }
        List<String> wrong = new ArrayList<>();
        for (MapDefinition m : defs) {
            long kernel = kernelCount(m);
            long ours = MapMemory.of(m, cpus).atLoad();
            // Exact for this kernel's struct sizes; a page of slack for the kernel's own rounding elsewhere.
            if (Math.abs(ours - kernel) > 4096) {
                wrong.add(MapType.nameOf(m.type()) + " key " + m.keySize() + " value " + m.valueSize() + " entries "
                        + m.maxEntries() + " flags " + m.flags() + ": ours " + ours + ", kernel " + kernel);
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(defs.size() > 20, "too few definitions compared: " + defs.size());
    }

    @Test
    void unpreallocatedMapsGrowToTheirFullSize() {
        MapMemory.Estimate e = MapMemory.of(def(MapType.HASH, 4, 8, 1000, 1), 2);
        assertTrue(e.atMost() >= e.atLoad() + 1000L * (48 + 8 + 8), e.toString());
        MapMemory.Estimate hostile = MapMemory.of(def(MapType.PERCPU_HASH, 1L << 32, 1L << 32, 1L << 32, 0), 4096);
        assertEquals(Long.MAX_VALUE, hostile.atMost(), "sizes past 64 bits saturate");
    }
}
