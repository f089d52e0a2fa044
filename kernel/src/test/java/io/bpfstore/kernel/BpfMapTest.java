package io.bpfstore.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.PinDir;
import io.bpfstore.kernel.testing.RequiresRoot;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Creates maps in the running kernel and compares their contents with what bpftool dumps. */
@RequiresRoot
class BpfMapTest {

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
    }

    /** bpftool prints raw keys/values (maps without BTF) as arrays of "0x.." byte strings. */
    private static String hex(JsonNode bytes) {
        StringBuilder s = new StringBuilder();
        bytes.forEach(b -> s.append(b.asText().substring(2)));
        return s.toString();
    }

    @Test
    void hashMapCrudAndIterationMatchBpftool() {
        try (BpfMap map = BpfMap.create(MapSpec.of("bst_hash", MapType.HASH, 4, 8, 16))) {
            assertEquals(Optional.empty(), map.lookup(u32(1)));
            for (int k = 1; k <= 5; k++) {
                map.update(u32(k), u64(k * 1000L), UpdateMode.NO_EXIST);
            }
            assertArrayEquals(u64(3000), map.lookup(u32(3)).orElseThrow());
            map.update(u32(3), u64(42), UpdateMode.EXIST);
            assertArrayEquals(u64(42), map.lookup(u32(3)).orElseThrow());
            BpfException exists = assertThrows(BpfException.class, () -> map.update(u32(3), u64(1), UpdateMode.NO_EXIST));
            assertEquals(Optional.of(Errno.EEXIST), exists.errno());
            assertTrue(exists.getMessage().startsWith("update a key in map \"bst_hash\" (id " + map.id() + "): EEXIST"));
            BpfException missing = assertThrows(BpfException.class, () -> map.update(u32(9), u64(1), UpdateMode.EXIST));
            assertEquals(Optional.of(Errno.ENOENT), missing.errno());
            assertTrue(map.delete(u32(5)));
            assertFalse(map.delete(u32(5)));

            Map<String, String> ours = new HashMap<>();
            for (byte[] key : map.keys()) {
                ours.put(HexFormat.of().formatHex(key), HexFormat.of().formatHex(map.lookup(key).orElseThrow()));
            }
            assertEquals(4, ours.size());
            JsonNode dump = Oracles.bpftool("map", "dump", "id", Integer.toString(map.id()));
            Map<String, String> theirs = new HashMap<>();
            dump.forEach(e -> theirs.put(hex(e.get("key")), hex(e.get("value"))));
            assertEquals(theirs, ours);

            JsonNode shown = Oracles.bpftool("map", "show", "id", Integer.toString(map.id()));
            assertEquals("hash", shown.get("type").asText());
            assertEquals("bst_hash", shown.get("name").asText());
            assertEquals(4, shown.get("bytes_key").asInt());
            assertEquals(8, shown.get("bytes_value").asInt());
            assertEquals(16, shown.get("max_entries").asInt());
        }
    }

    @Test
    void batchLookupReturnsWhatBpftoolDumps() {
        for (MapType type : new MapType[] {MapType.HASH, MapType.ARRAY, MapType.PERCPU_HASH}) {
            try (BpfMap map = BpfMap.create(MapSpec.of("bst_batch", type, 4, 8, 300))) {
                for (int k = 0; k < 250; k++) {
                    byte[] value = new byte[map.valueBufferSize()];
                    ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).putLong(0, k * 7L);
                    map.update(u32(k), value, UpdateMode.ANY);
                }
                Map<String, String> batched = new HashMap<>();
                for (Map.Entry<byte[], byte[]> e : map.lookupBatch(16)) {
                    assertEquals(null, batched.put(HexFormat.of().formatHex(e.getKey()), HexFormat.of().formatHex(e.getValue())),
                            "key returned twice");
                }
                Map<String, String> dumped = new HashMap<>();
                for (JsonNode e : Oracles.bpftool("map", "dump", "id", Integer.toString(map.id()))) {
                    String value;
                    if (e.has("values")) { // per-CPU: concatenate the slots in CPU order, as user space sees them
                        StringBuilder all = new StringBuilder();
                        e.get("values").forEach(v -> all.append(hex(v.get("value"))));
                        value = all.toString();
                    } else {
                        value = hex(e.get("value"));
                    }
                    dumped.put(hex(e.get("key")), value);
                }
                assertEquals(type == MapType.ARRAY ? 300 : 250, batched.size(), type.bpftoolName());
                assertEquals(dumped, batched, type.bpftoolName());
            }
        }
    }

    @Test
    void batchUpdateStoresEverything() {
        try (BpfMap map = BpfMap.create(MapSpec.of("bst_bupd", MapType.HASH, 4, 4, 64))) {
            List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
            for (int k = 0; k < 40; k++) {
                entries.add(Map.entry(u32(k), u32(k + 100)));
            }
            assertEquals(40, map.updateBatch(entries));
            assertEquals(40, Oracles.bpftool("map", "dump", "id", Integer.toString(map.id())).size());
            assertArrayEquals(u32(139), map.lookup(u32(39)).orElseThrow());
        }
        try (BpfMap array = BpfMap.create(MapSpec.of("bst_bupd_arr", MapType.ARRAY, 4, 4, 4))) {
            List<Map.Entry<byte[], byte[]>> tooMany = new ArrayList<>();
            for (int k = 0; k < 6; k++) {
                tooMany.add(Map.entry(u32(k), u32(k)));
            }
            BpfException e = assertThrows(BpfException.class, () -> array.updateBatch(tooMany));
            assertEquals(Optional.of(Errno.E2BIG), e.errno()); // index 4 is outside the array
            assertTrue(e.getMessage().contains("(4 stored before the failure)"), e.getMessage());
        }
    }

    @Test
    void queuePopsInFifoOrder() {
        try (BpfMap queue = BpfMap.create(MapSpec.of("bst_queue", MapType.QUEUE, 0, 4, 8))) {
            for (int v = 1; v <= 3; v++) {
                queue.update(new byte[0], u32(v), UpdateMode.ANY);
            }
            assertEquals(hex(Oracles.bpftool("map", "peek", "id", Integer.toString(queue.id())).get("value")),
                    HexFormat.of().formatHex(u32(1)));
            assertArrayEquals(u32(1), queue.lookupAndDelete(new byte[0]).orElseThrow());
            assertArrayEquals(u32(2), queue.lookupAndDelete(new byte[0]).orElseThrow());
            assertArrayEquals(u32(3), queue.lookupAndDelete(new byte[0]).orElseThrow());
            assertEquals(Optional.empty(), queue.lookupAndDelete(new byte[0]));
            assertEquals(List.of(), queue.keys());
        }
    }

    @Test
    void arrayIterationVisitsEveryIndexInOrder() {
        try (BpfMap map = BpfMap.create(MapSpec.of("bst_array", MapType.ARRAY, 4, 4, 3))) {
            map.update(u32(1), u32(7), UpdateMode.ANY);
            String expected = HexFormat.of().formatHex(u32(0)) + "," + HexFormat.of().formatHex(u32(1)) + ","
                    + HexFormat.of().formatHex(u32(2));
            assertEquals(expected, map.keys().stream().map(HexFormat.of()::formatHex).collect(Collectors.joining(",")));
            JsonNode dump = Oracles.bpftool("map", "dump", "id", Integer.toString(map.id()));
            assertEquals(3, dump.size());
            assertEquals(HexFormat.of().formatHex(u32(7)), hex(dump.get(1).get("value")));
            BpfException delete = assertThrows(BpfException.class, () -> map.delete(u32(0)));
            assertEquals(Optional.of(Errno.EINVAL), delete.errno()); // array elements cannot be deleted
        }
    }

    @Test
    void perCpuValuesHaveOneSlotPerPossibleCpu() {
        try (BpfMap map = BpfMap.create(MapSpec.of("bst_pcpu", MapType.PERCPU_ARRAY, 4, 4, 1))) {
            int cpus = PossibleCpus.count();
            assertEquals(8 * cpus, map.valueBufferSize());
            ByteBuffer value = ByteBuffer.allocate(8 * cpus).order(ByteOrder.nativeOrder());
            for (int cpu = 0; cpu < cpus; cpu++) {
                value.putInt(cpu * 8, 100 + cpu);
            }
            map.update(u32(0), value.array(), UpdateMode.ANY);
            JsonNode dump = Oracles.bpftool("map", "dump", "id", Integer.toString(map.id()));
            JsonNode values = dump.get(0).get("values");
            assertEquals(cpus, values.size());
            for (int cpu = 0; cpu < cpus; cpu++) {
                assertEquals(cpu, values.get(cpu).get("cpu").asInt());
                assertEquals(HexFormat.of().formatHex(u32(100 + cpu)), hex(values.get(cpu).get("value")));
            }
        }
    }

    @Test
    void frozenMapRefusesUserSpaceWrites() {
        try (BpfMap map = BpfMap.create(MapSpec.of("bst_frozen", MapType.ARRAY, 4, 4, 1))) {
            map.update(u32(0), u32(5), UpdateMode.ANY);
            map.freeze();
            BpfException e = assertThrows(BpfException.class, () -> map.update(u32(0), u32(6), UpdateMode.ANY));
            assertEquals(Optional.of(Errno.EPERM), e.errno());
            assertArrayEquals(u32(5), map.lookup(u32(0)).orElseThrow());
            JsonNode shown = Oracles.bpftool("map", "show", "id", Integer.toString(map.id()));
            assertEquals(1, shown.get("frozen").asInt());
        }
    }

    @Test
    void pinnedMapSharesItsContents() throws Exception {
        try (PinDir dir = PinDir.create("map"); BpfMap map = BpfMap.create(MapSpec.of("bst_pinned", MapType.HASH, 4, 4, 4))) {
            Path pin = dir.resolve("m");
            map.pin(pin);
            try (BpfMap again = BpfMap.openPinned(pin)) {
                again.update(u32(1), u32(2), UpdateMode.ANY);
                assertEquals(map.id(), again.id());
            }
            assertArrayEquals(u32(2), map.lookup(u32(1)).orElseThrow());
            assertTrue(Pins.unpin(pin));
        }
    }

    @Test
    void wrongSizesAndImpossibleMapsAreTypedErrors() {
        try (BpfMap map = BpfMap.create(MapSpec.of("bst_sizes", MapType.HASH, 4, 4, 4))) {
            assertThrows(IllegalArgumentException.class, () -> map.lookup(new byte[3]));
            assertThrows(IllegalArgumentException.class, () -> map.update(u32(1), new byte[5], UpdateMode.ANY));
        }
        BpfException e = assertThrows(BpfException.class, () -> BpfMap.create(MapSpec.of("bst_zero", MapType.HASH, 0, 4, 4)));
        assertEquals(Optional.of(Errno.EINVAL), e.errno());
        assertTrue(e.getMessage().startsWith("create hash map \"bst_zero\": EINVAL — "), e.getMessage());
    }
}
