package io.bpfstore.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.ProgramInfo;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.PinDir;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Loads one object with our loader and with libbpf ({@code bpftool prog loadall}) and compares: the verdict; for
 * accepted objects, the translated instructions of every program (map ids replaced by map names), every map of
 * the object (ours against libbpf's, which bpftool pins; bpftool map show: type, name, key, value, max_entries, flags) and the contents of fd-holding maps
 * (program arrays, map-in-maps: which program or map sits in which slot; read-only data: its bytes). Records what our loads created so that
 * the caller can check it is all gone afterwards.
 */
final class Differential {
    private static final Set<Integer> FD_ARRAYS = Set.of(3, 12, 13);
    private static final int RDONLY_PROG = 0x80;
    /** libbpf 1.x's refusal of the {@code maps} section that libbpf 0.x and iproute2 read. */
    private static final String LIBBPF_1_NO_LEGACY_MAPS = "legacy map definitions in 'maps' section are not supported";
    private final PinDir pins;
    private final AtomicInteger counter = new AtomicInteger();
    final List<Integer> programs = new ArrayList<>();
    final List<Integer> maps = new ArrayList<>();
    final List<Integer> btf = new ArrayList<>();

    Differential(PinDir pins) {
        this.pins = pins;
    }

    /** Compares; returns whether both accepted the object. */
    boolean compare(Path path) throws IOException {
        int n = counter.incrementAndGet();
        Path dir = pins.resolve("p" + n);
        Path mapDir = pins.resolve("m" + n);
        Bpftool.Result libbpf = Bpftool.loadAllPinningMaps(path, dir, mapDir);
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
                return false;
            }
            try (LoadedObject object = loaded) {
                object.programs().values().forEach(p -> programs.add(p.id()));
                object.maps().values().forEach(m -> maps.add(m.id()));
                object.btf().ifPresent(b -> btf.add(b.id()));
                if (!libbpf.ok() && libbpf.output().contains(LIBBPF_1_NO_LEGACY_MAPS)) {
                    // libbpf 0.x loaded these; 1.x refuses them by design: the maps must be the object's records
                    BpfObject read = BpfObject.read(path);
                    for (var def : read.maps()) {
                        if (def.legacy()) {
                            io.bpfstore.kernel.MapInfo info = object.map(def.name()).info();
                            assertEquals(List.of(def.type(), def.keySize(), def.valueSize(), def.maxEntries(), def.flags()),
                                    List.of(info.typeNumber(), (long) info.keySize(), (long) info.valueSize(),
                                            Integer.toUnsignedLong(info.maxEntries()), Integer.toUnsignedLong(info.flags())),
                                    "legacy map " + def.name() + " of " + path.getFileName());
                        }
                    }
                    return false;
                }
                assertTrue(libbpf.ok(), "we load " + path.getFileName() + " but libbpf refused it: " + libbpf.output());
                Map<String, BpfProgram> theirs = pinned(dir);
                try {
                    Xlated xlated = new Xlated();
                    Map<String, String> ourMaps = new TreeMap<>();
                    Map<String, String> theirMaps = new TreeMap<>();
                    Set<String> ourNames = new TreeSet<>();
                    for (BpfProgram p : object.programs().values()) {
                        ProgramInfo info = p.info();
                        ourNames.add(info.name());
                        BpfProgram other = theirs.get(info.name());
                        assertTrue(other != null, "libbpf did not load " + info.name() + "; it loaded " + theirs.keySet());
                        assertEquals(xlated.normalise(other.translatedInstructions()),
                                xlated.normalise(p.translatedInstructions()), "xlated instructions of " + info.name());
                    }
                    assertEquals(theirs.keySet(), ourNames, "programs loaded");
                    for (BpfMap m : object.maps().values()) {
                        describe(m.id(), ourMaps);
                    }
                    if (Files.isDirectory(mapDir)) {
                        try (Stream<Path> s = Files.list(mapDir)) {
                            for (Path pin : s.toList()) {
                                try (BpfMap m = BpfMap.openPinned(pin)) {
                                    describe(m.id(), theirMaps);
                                }
                            }
                        }
                    }
                    assertEquals(theirMaps, ourMaps, "maps of the object");
                } finally {
                    theirs.values().forEach(BpfProgram::close);
                }
            }
            return true;
        } finally {
            deleteTree(dir);
            deleteTree(mapDir);
        }
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

    private static void describe(int id, Map<String, String> out) {
        {
            JsonNode m = Oracles.bpftool("map", "show", "id", Integer.toString(id));
            String contents = "";
            try (BpfMap map = BpfMap.fromId(id)) {
                if (FD_ARRAYS.contains(map.info().typeNumber())) {
                    contents = " slots=" + slots(map);
                } else if ((map.info().flags() & RDONLY_PROG) != 0 && map.info().typeNumber() == 2) {
                    contents = " value=" + map.lookup(new byte[4]).map(HexFormat.of()::formatHex).orElse("none");
                }
            }
            out.put(m.path("name").asText(), "type=" + m.path("type").asText() + " key=" + m.path("bytes_key").asText()
                    + " value=" + m.path("bytes_value").asText() + " max_entries=" + m.path("max_entries").asText()
                    + " flags=" + m.path("flags").asText() + contents);
        }
    }

    /** Slot → name of the program or map whose id the kernel returns for it. */
    private static Map<Integer, String> slots(BpfMap map) {
        Map<Integer, String> out = new TreeMap<>();
        boolean programs = map.info().typeNumber() == 3;
        for (byte[] key : map.keys()) {
            Optional<byte[]> value = map.lookup(key);
            if (value.isEmpty()) {
                continue;
            }
            int id = ByteBuffer.wrap(value.get()).order(ByteOrder.nativeOrder()).getInt();
            String name;
            if (programs) {
                try (BpfProgram p = BpfProgram.fromId(id)) {
                    name = p.info().name();
                }
            } else {
                try (BpfMap m = BpfMap.fromId(id)) {
                    name = m.info().name();
                }
            }
            out.put(ByteBuffer.wrap(key).order(ByteOrder.nativeOrder()).getInt(), name);
        }
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
