package io.bpfstore.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.MapSpec;
import io.bpfstore.kernel.UpdateMode;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scrape's map entry counts against what was put in and against the kernel module's own key walk
 * ({@code BpfMap.keys()}, BPF_MAP_GET_NEXT_KEY): hash maps of several types and flags, counted in several batches
 * (large values), and a trie (no batch support: counted key by key). Real maps on a private bpffs.
 */
class ScrapeReadsTest {
    @TempDir
    Path work;

    @Test
    void entryCountsMatchTheKeysThere() throws Exception {
        Path fs = work.resolve("bpffs");
        Files.createDirectories(fs);
        io.bpfstore.testsupport.ExternalTool.output("mount", "-t", "bpf", "bpf", fs.toString());
        try {
            // 4-byte keys, 4,096-byte values: 63 entries a batch, so 1,000 entries take 16 calls
            check(fs, MapSpec.of("big_values", MapType.HASH, 4, 4096, 2000), 1000);
            check(fs, MapSpec.of("no_prealloc", MapType.HASH, 4, 8, 5000).withFlags(1), 4321);
            check(fs, MapSpec.of("percpu", MapType.PERCPU_HASH, 4, 8, 300), 300);
            check(fs, MapSpec.of("lru", MapType.LRU_HASH, 4, 8, 1000), 10);
            check(fs, MapSpec.of("empty", MapType.HASH, 4, 8, 100), 0);
            // an LPM trie has no batch lookup: counted with BPF_MAP_GET_NEXT_KEY (key: prefix length + IPv4 address)
            check(fs, MapSpec.of("trie", MapType.LPM_TRIE, 8, 8, 100).withFlags(1), 17);
            check(fs, MapSpec.of("array", MapType.ARRAY, 4, 8, 64), -64);
        } finally {
            io.bpfstore.testsupport.ExternalTool.output("umount", fs.toString());
        }
    }

    /** Fills a new map with {@code n} entries and counts it as a scrape does (negative n: an array of -n slots). */
    private static void check(Path fs, MapSpec spec, int n) {
        try (BpfMap map = BpfMap.create(spec); Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < n; i++) {
                ByteBuffer key = ByteBuffer.allocate(spec.keySize()).order(ByteOrder.nativeOrder());
                if (spec.type() == MapType.LPM_TRIE) {
                    key.putInt(32).order(ByteOrder.BIG_ENDIAN).putInt(0x0a000000 + i);
                } else {
                    key.putInt(i);
                }
                map.update(key.array(), new byte[map.valueBufferSize()], UpdateMode.ANY);
            }
            Path pin = fs.resolve(spec.name());
            map.pin(pin);
            ScrapeReads reads = new ScrapeReads();
            int fd = reads.open(ScrapeReads.path(arena, pin));
            try {
                assertEquals(true, reads.map(fd), spec.name());
                long counted = reads.entries(fd);
                assertEquals(Math.abs(n), counted, spec.name() + ": entries");
                if (n >= 0) {
                    assertEquals(map.keys().size(), counted, spec.name() + ": the key walk's count");
                }
            } finally {
                reads.close(fd);
            }
        }
    }
}
