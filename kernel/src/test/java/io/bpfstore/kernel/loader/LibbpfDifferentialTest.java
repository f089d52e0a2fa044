package io.bpfstore.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.ProgramInfo;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.PinDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Our loader against libbpf ({@code bpftool prog loadall}) on every example object: the same verdict, and for
 * objects both accept, the same translated instructions for every program (map ids replaced by map names) and
 * the same maps (bpftool map show: type, name, key, value, max_entries, flags). Identical xlated code means the
 * relocations, CO-RE results and subprogram layout are libbpf's.
 */
class LibbpfDifferentialTest {
    private static PinDir pins;
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final List<Integer> OUR_PROGRAMS = new ArrayList<>();
    private static final List<Integer> OUR_MAPS = new ArrayList<>();
    private static final List<Integer> OUR_BTF = new ArrayList<>();

    @BeforeAll
    static void setUp() throws IOException {
        Oracles.requireRoot();
        pins = PinDir.create("loader-diff");
    }

    @AfterAll
    static void tearDown() throws IOException, InterruptedException {
        if (pins != null) {
            pins.close();
        }
        Leftovers.assertGone(OUR_PROGRAMS, OUR_MAPS);
        Leftovers.assertBtfGone(OUR_BTF);
        assertFalse(OUR_PROGRAMS.isEmpty(), "no program was compared");
    }

    @TestFactory
    Stream<DynamicTest> sameVerdictAndCodeAsLibbpf() {
        return Objects.all().stream().map(path -> DynamicTest.dynamicTest(
                Objects.root().relativize(path).toString(), () -> compare(path)));
    }

    private void compare(Path path) throws IOException {
        Path dir = pins.resolve("p" + COUNTER.incrementAndGet());
        Bpftool.Result libbpf = Bpftool.loadAll(path, dir);
        try {
            RuntimeException ours = null;
            LoadedObject loaded = null;
            try {
                loaded = Loader.load(BpfObject.read(path), LoadOptions.defaults().withPinRoot(pins.resolve("")));
            } catch (ProgramRejectedException | LoadException e) {
                ours = e;
            }
            if (loaded == null) {
                assertFalse(libbpf.ok(), "libbpf loads " + path.getFileName() + " but we refused it: " + ours.getMessage());
                return;
            }
            try (LoadedObject object = loaded) {
                assertTrue(libbpf.ok(), "we load " + path.getFileName() + " but libbpf refused it: " + libbpf.output());
                Map<String, BpfProgram> theirs = pinned(dir);
                Xlated xlated = new Xlated();
                Map<String, String> ourMaps = new TreeMap<>();
                Map<String, String> theirMaps = new TreeMap<>();
                assertEquals(theirs.keySet(), kernelNames(object.programs()), "programs loaded");
                for (BpfProgram p : object.programs().values()) {
                    ProgramInfo info = p.info();
                    OUR_PROGRAMS.add(info.id());
                    BpfProgram other = theirs.get(info.name());
                    assertEquals(xlated.normalise(other.translatedInstructions()),
                            xlated.normalise(p.translatedInstructions()), "xlated instructions of " + info.name());
                    maps(info, ourMaps);
                    maps(other.info(), theirMaps);
                }
                object.maps().values().forEach(m -> OUR_MAPS.add(m.id()));
                object.btf().ifPresent(b -> OUR_BTF.add(b.id()));
                assertEquals(theirMaps, ourMaps, "maps used by the programs (bpftool map show)");
                theirs.values().forEach(BpfProgram::close);
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static java.util.Set<String> kernelNames(Map<String, BpfProgram> programs) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        programs.values().forEach(p -> names.add(p.info().name()));
        return names;
    }

    private static Map<String, BpfProgram> pinned(Path dir) throws IOException {
        Map<String, BpfProgram> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                BpfProgram program = BpfProgram.openPinned(p);
                out.put(program.info().name(), program);
            }
        }
        return out;
    }

    private static void maps(ProgramInfo info, Map<String, String> out) {
        for (int id : info.mapIds()) {
            JsonNode m = Oracles.bpftool("map", "show", "id", Integer.toString(id));
            String key = m.path("name").asText();
            out.put(key, "type=" + m.path("type").asText() + " key=" + m.path("bytes_key").asText() + " value="
                    + m.path("bytes_value").asText() + " max_entries=" + m.path("max_entries").asText() + " flags="
                    + m.path("flags").asText());
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
