package io.bpfstore.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.store.build.LayerTar;
import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.store.manifest.ManifestDefaults;
import io.bpfstore.testsupport.ExampleObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resolving local packages: a layout written by the store's {@code PackageBuilder} gives back the object bytes
 * byte for byte; bad layers and missing files are typed errors naming what is wrong.
 */
class PackageSourceTest {
    @TempDir
    Path dir;

    private static Path object() {
        return ExampleObjects.resolve("xdp_counter.o");
    }

    @Test
    void aLayoutGivesBackTheObjectAndItsIdentity() throws IOException {
        byte[] bytes = Files.readAllBytes(object());
        BpfObject parsed = BpfObject.parse(bytes, "xdp_counter");
        var image = PackageBuilder.build(parsed, bytes, "xdp_counter.o", ManifestDefaults.derive(parsed, "xdp_counter.o"));
        Path layout = dir.resolve("layout");
        OciLayout.write(image, "0.1.0", layout);
        ResolvedPackage p = PackageSource.local(layout.toString());
        assertArrayEquals(bytes, p.object());
        assertEquals("xdp_counter", p.objectName());
        assertEquals("local/xdp-counter", p.repository());
        assertEquals(image.digest().toString(), p.digest());
        assertEquals("xdp_count", p.hooks().getFirst().program(), "the manifest's default hook hint");
        ResolvedPackage byRef = PackageSource.local(layout + "@0.1.0");
        assertEquals(p.digest(), byRef.digest(), "@REF selects the same image");
        assertArrayEquals(p.object(), byRef.object());
    }

    @Test
    void badLayersAreTypedErrors() {
        byte[] twoFiles = LayerTar.gzip(concat(LayerTar.tar("a.o", new byte[] {1}), LayerTar.tar("b.o", new byte[] {2})));
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> PackageSource.singleFile(twoFiles, "layer x"));
        assertTrue(e.getMessage().contains("layer x"), e.getMessage());
        assertThrows(InvalidImageException.class, () -> PackageSource.singleFile(
                "not gzip".getBytes(StandardCharsets.UTF_8), "layer y"));
        byte[] huge = LayerTar.tar("a.o", new byte[] {1});
        byte[] size = "77777777777".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, huge, 124, size.length);
        InvalidImageException big = assertThrows(InvalidImageException.class,
                () -> PackageSource.singleFile(LayerTar.gzip(huge), "layer z"));
        assertTrue(big.getMessage().contains("limit"), big.getMessage());
        assertEquals("a.o", PackageSource.singleFile(LayerTar.gzip(LayerTar.tar("a.o", new byte[] {9})), "l").name());
    }

    @Test
    void missingPathsAreUnknownPackages() {
        InstallException e = assertThrows(InstallException.class, () -> PackageSource.local("/nonexistent/x.o"));
        assertEquals("unknown package /nonexistent/x.o: no such file or directory", e.getMessage());
        assertTrue(PackageSource.isLocal("./x"));
        assertTrue(!PackageSource.isLocal("examples/xdp-counter@1.0.0"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        // a tar archive ends with two zero blocks; drop the first archive's end so both entries are read
        int end = a.length;
        while (end >= 512 && isZero(a, end - 512)) {
            end -= 512;
        }
        byte[] out = new byte[end + b.length];
        System.arraycopy(a, 0, out, 0, end);
        System.arraycopy(b, 0, out, end, b.length);
        return out;
    }

    private static boolean isZero(byte[] a, int from) {
        for (int i = from; i < from + 512; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
