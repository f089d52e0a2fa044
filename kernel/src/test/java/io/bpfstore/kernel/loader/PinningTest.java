package io.bpfstore.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.kernel.Pins;
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
 * {@code LIBBPF_PIN_BY_NAME} maps: pinned at {@code <pin root>/<name>} on first load (checked with bpftool map show
 * pinned), reused by the next load, and a pinned map that does not match the object's definition is refused with
 * both definitions named.
 */
@RequiresRoot
class PinningTest {
    @TempDir
    Path dir;

    private Path object(String name, int maxEntries) throws IOException {
        return Clang.compile(dir, name, """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                char LICENSE[] SEC("license") = "GPL";
                struct {
                	__uint(type, BPF_MAP_TYPE_HASH);
                	__uint(max_entries, %d);
                	__type(key, __u32);
                	__type(value, __u64);
                	__uint(pinning, LIBBPF_PIN_BY_NAME);
                } bst_shared_counts SEC(".maps");
                SEC("xdp") int xdp_pinned_count(struct xdp_md *ctx)
                {
                	__u32 k = ctx->ingress_ifindex;
                	__u64 *v = bpf_map_lookup_elem(&bst_shared_counts, &k);
                	if (v)
                		__sync_fetch_and_add(v, 1);
                	return XDP_PASS;
                }
                """.formatted(maxEntries));
    }

    @Test
    void pinnedReusedAndCheckedForCompatibility() throws IOException, InterruptedException {
        Path small = object("small", 16);
        Path large = object("large", 32);
        List<Integer> programs = new ArrayList<>();
        List<Integer> maps = new ArrayList<>();
        try (PinDir pins = PinDir.create("loader-pin")) {
            LoadOptions options = LoadOptions.defaults().withPinRoot(pins.resolve(""));
            Path pin = pins.resolve("bst_shared_counts");
            try (LoadedObject first = Loader.load(BpfObject.read(small), options)) {
                programs.add(first.program("xdp_pinned_count").id());
                int mapId = first.map("bst_shared_counts").id();
                maps.add(mapId);
                assertTrue(Files.exists(pin), "pinned at " + pin);
                JsonNode shown = Oracles.bpftool("map", "show", "pinned", pin.toString());
                assertEquals(mapId, shown.path("id").asInt());
                assertEquals(16, shown.path("max_entries").asInt());
                assertEquals("hash", shown.path("type").asText());

                try (LoadedObject second = Loader.load(BpfObject.read(small), options)) {
                    programs.add(second.program("xdp_pinned_count").id());
                    assertEquals(mapId, second.map("bst_shared_counts").id(), "the second load reuses the pinned map");
                }
                LoadException e = assertThrows(LoadException.class, () -> Loader.load(BpfObject.read(large), options));
                assertEquals("reuse pinned map \"bst_shared_counts\" at " + pin + ": the pinned map does not match the"
                        + " object's definition: pinned hash (key 4, value 8, max_entries 16, flags 0x0), object hash"
                        + " (key 4, value 8, max_entries 32, flags 0x0)", e.getMessage());
            }
            assertTrue(Files.exists(pin), "closing the object keeps the pin");
            Pins.unpin(pin);
        }
        Leftovers.assertGone(programs, maps);
    }
}
