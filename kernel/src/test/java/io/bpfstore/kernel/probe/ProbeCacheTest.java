package io.bpfstore.kernel.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.testing.Oracles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-boot cache: round trip, boot-id keying, corrupt files, and that a valid cache is really used. */
class ProbeCacheTest {

    private static KernelFeatures sample(String bootId) {
        return new KernelFeatures(bootId, "6.18.0-test",
                Map.of(ProgramType.XDP, Support.SUPPORTED, ProgramType.TRACING, Support.DENIED),
                Map.of(MapType.HASH, Support.SUPPORTED, MapType.ARENA, Support.UNSUPPORTED),
                Map.of(ProgramType.XDP, new TreeSet<>(Set.of(1, 2, 44)), ProgramType.SYSCALL, new TreeSet<>()), Set.of(6),
                Map.of(MiscFeature.BOUNDED_LOOPS, true, MiscFeature.LARGE_INSN_LIMIT, false));
    }

    @Test
    void roundTripsAndIsKeyedOnTheBootId(@TempDir Path dir) throws IOException {
        ProbeCache cache = new ProbeCache(dir.resolve("sub"));
        KernelFeatures features = sample("boot-a");
        cache.store(features);
        assertEquals(Optional.of(features), cache.load("boot-a"));
        assertEquals(Optional.empty(), cache.load("boot-b"));
    }

    @Test
    void corruptFilesAreIgnored(@TempDir Path dir) throws IOException {
        ProbeCache cache = new ProbeCache(dir);
        for (String text : new String[] {"", "bpfstore-kernel-features 1\n", "garbage",
                ProbeCache.format(sample("b")).replace("xdp SUPPORTED", "xdp MAYBE"),
                ProbeCache.format(sample("b")).replace("helpers xdp 1,2,44", "helpers xdp 1,x"),
                ProbeCache.format(sample("b")).replace("map_type hash", "map_type no_such_map"),
                ProbeCache.format(sample("b")) + "helpers\n",
                ProbeCache.format(sample("b")).replace("bounded_loops true", "bounded_loops yes"),
                ProbeCache.format(sample("b")).replace("helpers xdp 1,2,44", "helpers xdp 1,,44"),
                ProbeCache.format(sample("b")).replace("helpers xdp 1,2,44", "helpers xdp 99999999999"),
                ProbeCache.format(sample("b")).replace("boot_id b", "boot_id")}) {
            Files.writeString(cache.file(), text);
            assertEquals(Optional.empty(), cache.load("b"), text);
        }
    }

    @Test
    void aValidCacheOfThisBootIsUsedAndAStaleOneIsReplaced(@TempDir Path dir) throws IOException {
        Oracles.requireRoot();
        ProbeCache cache = new ProbeCache(dir);
        String boot = ProbeCache.currentBootId();
        KernelFeatures planted = sample(boot);
        cache.store(planted);
        assertEquals(planted, cache.get()); // no probing: the planted (fake) answer comes back
        cache.store(sample("an-earlier-boot"));
        KernelFeatures probed = cache.get();
        assertEquals(boot, probed.bootId());
        assertTrue(probed.programType(ProgramType.SOCKET_FILTER).usable());
        assertEquals(Optional.of(probed), cache.load(boot));
    }
}
