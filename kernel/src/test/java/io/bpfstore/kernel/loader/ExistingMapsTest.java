package io.bpfstore.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.MapSpec;
import io.bpfstore.kernel.TestRun;
import io.bpfstore.kernel.testing.Counters;
import io.bpfstore.kernel.testing.Leftovers;
import io.bpfstore.kernel.testing.Oracles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LoadOptions#withExistingMaps}: a second load of an object relocates against the first load's live maps
 * (bpftool's map_ids of the new program are the old maps' ids, and the contents survive); a map whose definition
 * differs, a frozen .rodata with other contents and a name the object lacks are refused, naming map and field.
 */
class ExistingMapsTest {
    @RegisterExtension
    static final Leftovers LEFT = new Leftovers();
    private static final int FRAME = 64;

    @TempDir
    Path dir;

    /** Counts runs in a hash map, in .bss and in .data; adds a .rodata constant to the .data counter. */
    private BpfObject object(String name, int step) throws IOException {
        return BpfObject.read(Clang.compile(dir, name, """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                char LICENSE[] SEC("license") = "GPL";
                struct {
                    __uint(type, BPF_MAP_TYPE_HASH);
                    __uint(max_entries, 16);
                    __type(key, __u32);
                    __type(value, __u64);
                } runs SEC(".maps");
                __u64 bss_runs;
                __u64 data_runs = 1000;
                const volatile __u64 step = %d;
                SEC("xdp")
                int count(struct xdp_md *ctx)
                {
                    __u32 key = 7;
                    __u64 one = 1, *n = bpf_map_lookup_elem(&runs, &key);
                    if (n)
                        __sync_fetch_and_add(n, 1);
                    else
                        bpf_map_update_elem(&runs, &key, &one, BPF_NOEXIST);
                    __sync_fetch_and_add(&bss_runs, 1);
                    __sync_fetch_and_add(&data_runs, step);
                    return XDP_PASS;
                }
                """.formatted(step)));
    }

    private static long u64(BpfMap map, int key, int offset) {
        byte[] k = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(key).array();
        return Counters.sum(map, k, offset);
    }

    private static String internal(LoadedObject loaded, String section) {
        return loaded.maps().keySet().stream().filter(n -> n.endsWith(section)).findFirst().orElseThrow();
    }

    @Test
    void secondLoadUsesTheLiveMapsAndTheirContents() throws Exception {
        BpfObject object = object("reuse", 5);
        LoadOptions options = LoadOptions.defaults().withoutPinning();
        try (LoadedObject first = LEFT.load(object, options)) {
            first.program("count").testRun(TestRun.of(new byte[FRAME]));
            first.program("count").testRun(TestRun.of(new byte[FRAME]));
            // reuse .bss and .data by their bare section names, the rest by the loader's names
            Map<String, BpfMap> live = new HashMap<>(first.maps());
            live.put(".bss", live.remove(internal(first, ".bss")));
            live.put(".data", live.remove(internal(first, ".data")));
            try (LoadedObject second = LEFT.load(object, options.withExistingMaps(live))) {
                JsonNode shown = Oracles.bpftool("prog", "show", "id", Integer.toString(second.program("count").id()));
                Set<Integer> mapIds = new HashSet<>();
                shown.get("map_ids").forEach(n -> mapIds.add(n.asInt()));
                Set<Integer> firstIds = new HashSet<>();
                first.maps().values().forEach(m -> firstIds.add(m.id()));
                assertEquals(firstIds, mapIds, "bpftool: the second program uses the first load's maps");
                second.program("count").testRun(TestRun.of(new byte[FRAME]));
                assertEquals(3, u64(first.map("runs"), 7, 0), "hash map kept its count and went on");
                assertEquals(3, u64(first.map(internal(first, ".bss")), 0, 0), ".bss kept its count");
                assertEquals(1000 + 3 * 5, u64(first.map(internal(first, ".data")), 0, 0), ".data kept its count");
            }
            assertEquals(3, u64(first.map("runs"), 7, 0), "closing the second load left the caller's maps open");
        }
    }

    /**
     * Loader.link is the loader's own relocation: the image it makes, loaded, is the very program Loader.load made
     * (the kernel's translated instructions, where map references read as map ids, are identical).
     */
    @Test
    void aLinkedImageIsWhatTheLoaderLoads() throws Exception {
        BpfObject object = object("image", 3);
        try (LoadedObject first = LEFT.load(object, LoadOptions.defaults().withoutPinning());
             BpfProgram linked = Loader.load(Loader.link(object, "count",
                     LoadOptions.defaults().withoutPinning().withExistingMaps(first.maps())))) {
            LEFT.programs(List.of(linked.id()));
            assertEquals(java.util.HexFormat.of().formatHex(first.program("count").translatedInstructions()),
                    java.util.HexFormat.of().formatHex(linked.translatedInstructions()));
            assertEquals(first.program("count").info().tag(), linked.info().tag());
        }
    }

    @Test
    void aMapThatDiffersIsRefusedNamingTheField() throws Exception {
        BpfObject object = object("differs", 1);
        LoadOptions options = LoadOptions.defaults().withoutPinning();
        try (BpfMap small = BpfMap.create(MapSpec.of("runs", MapType.HASH, 4, 8, 8));
             BpfMap array = BpfMap.create(MapSpec.of("runs", MapType.ARRAY, 4, 8, 16));
             BpfMap wideKey = BpfMap.create(MapSpec.of("runs", MapType.HASH, 8, 8, 16))) {
            Map<String, String> expected = Map.of("max_entries differs: live map 8, object 16", "small",
                    "type differs: live map array, object hash", "array",
                    "key_size differs: live map 8, object 4", "wideKey");
            Map<String, BpfMap> maps = Map.of("small", small, "array", array, "wideKey", wideKey);
            for (var e : expected.entrySet()) {
                MapMismatchException refused = assertThrows(MapMismatchException.class,
                        () -> LEFT.load(object, options.withExistingMaps(Map.of("runs", maps.get(e.getValue())))));
                assertTrue(refused.getMessage().contains("\"runs\"") && refused.getMessage().contains(e.getKey()),
                        refused.getMessage());
                assertEquals("runs", refused.map());
                assertEquals(e.getKey().substring(0, e.getKey().indexOf(' ')), refused.field());
            }
        }
    }

    @Test
    void frozenReadOnlyDataMustMatch() throws Exception {
        LoadOptions options = LoadOptions.defaults().withoutPinning();
        try (LoadedObject five = LEFT.load(object("five", 5), options)) {
            BpfMap rodata = five.map(internal(five, ".rodata"));
            MapMismatchException refused = assertThrows(MapMismatchException.class,
                    () -> LEFT.load(object("six", 6), options.withExistingMaps(Map.of(".rodata", rodata))));
            assertEquals("contents", refused.field());
            assertTrue(refused.getMessage().contains(".rodata") && refused.getMessage().contains("read-only data differs"),
                    refused.getMessage());
            try (LoadedObject again = LEFT.load(object("five", 5), options.withExistingMaps(Map.of(".rodata", rodata)))) {
                assertEquals(rodata.id(), again.map(internal(again, ".rodata")).id());
            }
        }
    }

    @Test
    void aNameTheObjectLacksIsRefused() throws Exception {
        BpfObject object = object("unknown", 1);
        try (BpfMap map = BpfMap.create(MapSpec.of("runz", MapType.HASH, 4, 8, 16))) {
            LoadException refused = assertThrows(LoadException.class, () -> LEFT.load(object,
                    LoadOptions.defaults().withoutPinning().withExistingMaps(Map.of("runz", map))));
            assertTrue(refused.getMessage().contains("\"runz\"") && refused.getMessage().contains("runs"),
                    refused.getMessage());
        }
    }

    @Test
    void linkWithoutTheMapsItUsesIsRefused() throws Exception {
        BpfObject object = object("missing", 1);
        LoadException refused = assertThrows(LoadException.class,
                () -> Loader.link(object, "count", LoadOptions.defaults().withoutPinning()));
        assertTrue(refused.getMessage().contains("runs") && refused.getMessage().contains("withExistingMaps"),
                refused.getMessage());
    }
}
