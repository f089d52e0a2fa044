package io.bpfstore.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.ProgramTypes;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.TestRun;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.PinDir;
import io.bpfstore.kernel.testing.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects written for iproute2 ({@code struct bpf_elf_map} in {@code maps}, program in section {@code prog}) and for
 * libbpf 0.x ({@code struct bpf_map_def}) load into the kernel with the maps they declare, as bpftool shows them:
 * type, key and value size, max_entries and flags; {@code PIN_GLOBAL_NS} and {@code PIN_OBJECT_NS} maps pinned where
 * tc pins them ({@code tc/globals/NAME}, {@code tc/<sha1sum of the object>/NAME}) and reused by a second load; the
 * map with an id and {@code inner_idx} put into its outer map; ring buffers rounded up to whole pages as libbpf
 * rounds them.
 *
 * <p>Debian's iproute2 6.1 is built on libbpf 1.1, which refuses {@code maps} sections ("legacy map definitions in
 * 'maps' section are not supported by libbpf v1.0+"), so no {@code ip}/{@code tc} load of these objects can be
 * compared here: the oracle is bpftool's view of the maps the kernel holds against the records the C source writes.
 */
@RequiresRoot
class LegacyObjectsLoadTest {
    private static final String HEADER = """
            #include <linux/bpf.h>
            #define SEC(n) __attribute__((section(n), used))
            struct bpf_elf_map { __u32 type, size_key, size_value, max_elem, flags, id, pinning, inner_id, inner_idx; };
            struct bpf_map_def { unsigned int type, key_size, value_size, max_entries, map_flags; };
            static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *) BPF_FUNC_map_lookup_elem;
            char _license[] SEC("license") = "GPL";
            """;

    @TempDir
    Path dir;

    private Path compile(String name, String body) throws IOException {
        return Clang.compile(dir, name, HEADER + body);
    }

    @Test
    void iproute2ObjectLoadsWithItsPinsAndMapInMap() throws IOException, InterruptedException {
        Path file = compile("tc_legacy", """
                struct bpf_elf_map SEC("maps") bst_lg_global = { .type = BPF_MAP_TYPE_HASH, .size_key = 4,
                    .size_value = 8, .max_elem = 32, .flags = BPF_F_NO_PREALLOC, .pinning = 2 };
                struct bpf_elf_map SEC("maps") counts = { .type = BPF_MAP_TYPE_ARRAY, .size_key = 4,
                    .size_value = 8, .max_elem = 4, .pinning = 1 };
                struct bpf_elf_map SEC("maps") inner = { .type = BPF_MAP_TYPE_ARRAY, .size_key = 4,
                    .size_value = 4, .max_elem = 1, .id = 7, .inner_idx = 3 };
                struct bpf_elf_map SEC("maps") outer = { .type = BPF_MAP_TYPE_ARRAY_OF_MAPS, .size_key = 4,
                    .size_value = 4, .max_elem = 8, .inner_id = 7 };
                SEC("prog") int xdp_main(struct xdp_md *ctx)
                {
                	__u32 k = 0;
                	long *v = bpf_map_lookup_elem(&counts, &k);
                	if (v)
                		__sync_fetch_and_add(v, 1);
                	if (bpf_map_lookup_elem(&outer, &k))
                		return XDP_DROP;
                	if (bpf_map_lookup_elem(&bst_lg_global, &k))
                		return XDP_DROP;
                	return XDP_PASS;
                }
                """);
        BpfObject object = ProgramTypes.parse(List.of("xdp")).applyTo(BpfObject.read(file));
        String sha1 = Oracles.run(List.of("sha1sum", file.toString())).split(" ")[0];
        List<Integer> programs = new ArrayList<>();
        List<Integer> maps = new ArrayList<>();
        try (PinDir pins = PinDir.create("legacy-tc")) {
            LoadOptions options = LoadOptions.defaults().withPinRoot(pins.resolve(""));
            Path global = pins.resolve("tc/globals/bst_lg_global");
            Path perObject = pins.resolve("tc/" + sha1 + "/counts");
            try (LoadedObject loaded = Loader.load(object, options)) {
                BpfProgram xdp = loaded.program("xdp_main");
                programs.add(xdp.id());
                loaded.maps().values().forEach(m -> maps.add(m.id()));
                JsonNode prog = Oracles.bpftool("prog", "show", "id", Integer.toString(xdp.id()));
                assertEquals("xdp", prog.path("type").asText());
                assertEquals("xdp_main", prog.path("name").asText());

                assertMap(Oracles.bpftool("map", "show", "pinned", global.toString()), "hash", 4, 8, 32, 1);
                assertEquals(loaded.map("bst_lg_global").id(),
                        Oracles.bpftool("map", "show", "pinned", global.toString()).path("id").asInt());
                assertMap(Oracles.bpftool("map", "show", "pinned", perObject.toString()), "array", 4, 8, 4, 0);
                assertMap(Oracles.bpftool("map", "show", "id", Integer.toString(loaded.map("outer").id())),
                        "array_of_maps", 4, 4, 8, 0);

                JsonNode slot = Oracles.bpftool("map", "lookup", "id", Integer.toString(loaded.map("outer").id()),
                        "key", "3", "0", "0", "0");
                assertEquals(loaded.map("inner").id(), littleEndian(slot.path("value")), "inner_idx 3 holds the inner map: " + slot);

                TestRun.Result run = xdp.testRun(TestRun.of(new byte[64]));
                assertEquals(2, run.returnValue(), "XDP_PASS: outer[0] and bst_lg_global[0] are empty");
                JsonNode count = Oracles.bpftool("map", "lookup", "pinned", perObject.toString(), "key", "0", "0", "0", "0");
                assertEquals(1, littleEndian(count.path("value")), "the program counted in the pinned map: " + count);

                try (LoadedObject again = Loader.load(object, options)) {
                    programs.add(again.program("xdp_main").id());
                    assertEquals(loaded.map("counts").id(), again.map("counts").id(), "PIN_OBJECT_NS map reused");
                    assertEquals(loaded.map("bst_lg_global").id(), again.map("bst_lg_global").id(),
                            "PIN_GLOBAL_NS map reused");
                    again.maps().values().forEach(m -> maps.add(m.id()));
                }
            }
        }
        Leftovers.assertGone(programs, maps);
    }

    /** A value bpftool prints as hex bytes (no BTF for legacy maps), read little-endian. */
    private static long littleEndian(JsonNode bytes) {
        long v = 0;
        for (int i = bytes.size() - 1; i >= 0; i--) {
            v = v << 8 | Long.decode(bytes.get(i).asText());
        }
        return v;
    }

    private static void assertMap(JsonNode map, String type, int key, int value, int maxEntries, int flags) {
        assertEquals(type, map.path("type").asText(), map.toString());
        assertEquals(key, map.path("bytes_key").asInt(), map.toString());
        assertEquals(value, map.path("bytes_value").asInt(), map.toString());
        assertEquals(maxEntries, map.path("max_entries").asInt(), map.toString());
        assertEquals(flags, map.path("flags").asInt(), map.toString());
    }

    @Test
    void libbpf0ObjectLoadsWithRoundedRingBuffer() throws IOException, InterruptedException {
        Path file = compile("mapdef", """
                struct bpf_map_def SEC("maps") flows = { .type = BPF_MAP_TYPE_HASH, .key_size = 8,
                    .value_size = 16, .max_entries = 1024, .map_flags = BPF_F_NO_PREALLOC };
                struct bpf_map_def SEC("maps") events = { .type = BPF_MAP_TYPE_RINGBUF, .max_entries = 5000 };
                SEC("socket") int sock(void *ctx)
                {
                	__u64 k = 0;
                	return bpf_map_lookup_elem(&flows, &k) ? 1 : 0;
                }
                """);
        List<Integer> programs = new ArrayList<>();
        List<Integer> maps = new ArrayList<>();
        try (LoadedObject loaded = Loader.load(BpfObject.read(file), LoadOptions.defaults().withoutPinning())) {
            programs.add(loaded.program("sock").id());
            loaded.maps().values().forEach(m -> maps.add(m.id()));
            assertMap(Oracles.bpftool("map", "show", "id", Integer.toString(loaded.map("flows").id())),
                    "hash", 8, 16, 1024, 1);
            assertMap(Oracles.bpftool("map", "show", "id", Integer.toString(loaded.map("events").id())),
                    "ringbuf", 0, 0, 8192, 0);
        }
        Leftovers.assertGone(programs, maps);
    }

    @Test
    void customPinningAndUntypedSectionsAreExplained() throws IOException {
        Path file = compile("custom", """
                struct bpf_elf_map SEC("maps") m = { .type = BPF_MAP_TYPE_ARRAY, .size_key = 4, .size_value = 4,
                    .max_elem = 1, .pinning = 5 };
                SEC("prog") int p(void *ctx) { __u32 k = 0; return bpf_map_lookup_elem(&m, &k) ? 1 : 2; }
                """);
        LoadException untyped = assertThrows(LoadException.class,
                () -> Loader.load(BpfObject.read(file), LoadOptions.defaults().withoutPinning()));
        assertTrue(untyped.getMessage().contains("section prog names no program type libbpf knows; give one with"
                + " --type TYPE or --type p=TYPE"), untyped.getMessage());
        BpfObject typed = ProgramTypes.parse(List.of("p=xdp")).applyTo(BpfObject.read(file));
        LoadException custom = assertThrows(LoadException.class,
                () -> Loader.load(typed, LoadOptions.defaults().withoutPinning()));
        assertTrue(custom.getMessage().startsWith("create map \"m\": pinning 5 is a custom iproute2 pinning"),
                custom.getMessage());
    }
}
