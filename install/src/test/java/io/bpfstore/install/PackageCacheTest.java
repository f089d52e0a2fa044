package io.bpfstore.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.store.manifest.ManifestDefaults;
import io.bpfstore.testsupport.ExampleObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package cache restore reads from: a local layout kept by {@code PackageSource.local} comes back byte for byte
 * with every digest re-hashed, a changed byte in a blob is named, entries are keyed by installation and digest, and
 * prune keeps what the recorded digests reach and removes the rest only once older than the grace period.
 */
class PackageCacheTest {
    @TempDir
    Path dir;

    private Image layout(String version) throws Exception {
        Path object = ExampleObjects.resolve("xdp_counter.o");
        byte[] bytes = Files.readAllBytes(object);
        BpfObject parsed = BpfObject.parse(bytes, "xdp_counter");
        var manifest = ManifestDefaults.derive(parsed, "xdp_counter.o");
        Image image = PackageBuilder.build(parsed, bytes, "xdp_counter.o", manifest);
        OciLayout.write(image, version, dir.resolve("layout-" + version));
        return image;
    }

    @Test
    void keptPackagesComeBackReHashedAndTamperingIsNamed() throws Exception {
        Image image = layout("0.1.0");
        PackageCache cache = new PackageCache(dir.resolve("state"));
        ResolvedPackage pkg = PackageSource.local(dir.resolve("layout-0.1.0").toString(), Optional.of(cache));
        Image back = cache.image(image.digest());
        assertArrayEquals(image.manifestBytes(), back.manifestBytes());
        assertEquals(image.blobs().keySet(), back.blobs().keySet());
        assertTrue(cache.signature(image.digest()).isEmpty(), "a local layout carries no signature");

        cache.remember("fw", new PackageCache.Entry(pkg.digest(), false, Map.of("limit", "7")));
        assertEquals(Map.of("limit", "7"), cache.entry("fw", pkg.digest()).orElseThrow().globals());
        assertTrue(cache.entry("fw", Digest.of(new byte[] {1}).toString()).isEmpty(), "keyed by digest too");

        Digest layer = image.manifest().layers().getFirst().digest();
        Path file = dir.resolve("state/packages/blobs/sha256").resolve(layer.hex());
        byte[] bytes = Files.readAllBytes(file);
        bytes[0] ^= 1;
        Files.write(file, bytes);
        InstallException e = assertThrows(InstallException.class, () -> cache.image(image.digest()));
        assertTrue(e.getMessage().contains("layer " + layer + " was changed"), e.getMessage());
    }

    @Test
    void pruneKeepsWhatRecordedDigestsReachAndSparesRecentFiles() throws Exception {
        Image kept = layout("0.1.0");
        PackageCache cache = new PackageCache(dir.resolve("state"));
        PackageSource.local(dir.resolve("layout-0.1.0").toString(), Optional.of(cache));
        byte[] other = "not a package, an unreferenced blob".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        cache.putBlob(other);
        cache.remember("gone", new PackageCache.Entry(Digest.of(other).toString(), true, Map.of()));
        Map<String, String> recorded = Map.of("fw", kept.digest().toString());

        assertEquals(0, cache.prune(recorded, Instant.now()), "files younger than the grace period are spared");
        int removed = cache.prune(recorded, Instant.now().plus(PackageCache.GRACE).plusSeconds(1));
        assertEquals(2, removed, "the unreferenced blob and the entry of an installation no longer recorded");
        Path blobs = dir.resolve("state/packages/blobs/sha256");
        assertFalse(Files.exists(blobs.resolve(Digest.of(other).hex())));
        assertEquals(kept.manifestBytes().length, cache.image(kept.digest()).manifestBytes().length);
        assertFalse(Files.exists(dir.resolve("state/packages/installations/gone")));
    }
}
