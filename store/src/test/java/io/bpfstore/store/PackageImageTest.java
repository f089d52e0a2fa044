package io.bpfstore.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.store.build.CompileException;
import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.build.PackageMetadata;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.DigestMismatchException;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.layout.OciLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Package images: deterministic bytes, the layer as GNU tar sees it, layouts read back verified, tampering. */
class PackageImageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyExamplePackagesDeterministically() {
        return Tools.objects().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Image first = PackageBuilder.build(Optional.of(p), Optional.empty(), List.of());
            Image second = PackageBuilder.build(Optional.of(p), Optional.empty(), List.of());
            assertArrayEquals(first.manifestBytes(), second.manifestBytes(), "same inputs, same manifest bytes");
            assertEquals(first.digest(), second.digest());
            JsonNode config = JSON.readTree(first.config());
            assertEquals("linux", config.path("os").asText());
            assertEquals(1, first.manifest().layers().size());
            JsonNode pkg = JSON.readTree(first.label(PackageMetadata.PACKAGE_LABEL).orElseThrow());
            assertEquals(p.getFileName().toString(), pkg.path("object").asText());
            assertEquals("0.1.0", pkg.path("version").asText());
            // The layout reads back identical, every digest verified.
            Path out = dir.resolve(p.getFileName() + ".layout");
            OciLayout.write(first, "0.1.0", out);
            Image back = OciLayout.read(out, Optional.of("0.1.0"));
            assertArrayEquals(first.manifestBytes(), back.manifestBytes());
        }));
    }

    @Test
    void layerIsOneFileAsGnuTarListsIt() throws IOException {
        Path object = Tools.objectsDir().resolve("xdp_counter.o");
        Image image = PackageBuilder.build(Optional.of(object), Optional.empty(), List.of());
        Descriptor layer = image.manifest().layers().getFirst();
        Path tgz = dir.resolve("layer.tar.gz");
        Files.write(tgz, image.blobs().get(layer.digest()));
        // GNU tar as the oracle: one entry, mode 0644, owner 0/0, mtime 0 (1970-01-01), the object's size.
        String listing = Tools.tool("tar", "--numeric-owner", "--utc", "-tvzf", tgz.toString()).strip();
        assertEquals(List.of("-rw-r--r--", "0/0", String.valueOf(Files.size(object)), "1970-01-01", "00:00",
                "xdp_counter.o"), List.of(listing.split("\\s+")));
        Path x = Files.createDirectories(dir.resolve("x"));
        Tools.tool("tar", "-xzf", tgz.toString(), "-C", x.toString());
        assertArrayEquals(Files.readAllBytes(object), Files.readAllBytes(x.resolve("xdp_counter.o")));
        // gzip header: no name flag, mtime 0 (gzip -lv prints the stored name and time).
        byte[] gz = image.blobs().get(layer.digest());
        assertEquals(0, gz[3] & 0x08, "FNAME flag clear");
        assertEquals(0, gz[4] | gz[5] | gz[6] | gz[7], "MTIME zero");
        // diff_ids names the uncompressed tar, as gunzip yields it.
        String diffId = JSON.readTree(image.config()).path("rootfs").path("diff_ids").path(0).asText();
        String gunzipped = Tools.tool("sh", "-c", "gunzip -c " + tgz + " | sha256sum").split(" ")[0];
        assertEquals("sha256:" + gunzipped, diffId);
    }

    @Test
    void manifestAndSourceBuildTheSameAsTheObject() throws IOException {
        Path src = Files.createDirectories(dir.resolve("pkg"));
        Path examples = Tools.objectsDir().resolve("../../src").normalize();
        Path include = Tools.objectsDir().resolve("../../include").normalize();
        Files.copy(examples.resolve("xdp_counter.c"), src.resolve("xdp_counter.c"));
        Files.writeString(src.resolve("bpfstore.yaml"), """
                name: xdp-counter
                namespace: examples
                version: 1.2.0
                license: GPL-2.0-only
                permissions: [inspects-interface-packets]
                object: xdp_counter.c
                """);
        Image fromSource = PackageBuilder.build(Optional.empty(), Optional.of(src.resolve("bpfstore.yaml")),
                List.of(include));
        JsonNode pkg = JSON.readTree(fromSource.label(PackageMetadata.PACKAGE_LABEL).orElseThrow());
        assertEquals("xdp_counter.o", pkg.path("object").asText());
        assertEquals("examples", pkg.path("namespace").asText());
        assertEquals("1.2.0", fromSource.manifest().annotations().get("org.opencontainers.image.version"));
        assertTrue(pkg.path("requirements").path("btf").asBoolean());
    }

    @Test
    void programTypesAreSpelledAsBpfmanDoes() throws IOException {
        // One program per hook kind the contract names; clang builds it, our object reader types it by section.
        Path c = dir.resolve("kinds.c");
        Files.writeString(c, """
                #define SEC(n) __attribute__((section(n), used))
                SEC("xdp") int a_xdp(void *ctx) { return 2; }
                SEC("tc") int b_tc(void *ctx) { return 0; }
                SEC("tcx/ingress") int c_tcx(void *ctx) { return -1; }
                SEC("tracepoint/sched/sched_switch") int d_tp(void *ctx) { return 0; }
                SEC("kprobe/do_unlinkat") int e_kprobe(void *ctx) { return 0; }
                SEC("uretprobe") int f_uprobe(void *ctx) { return 0; }
                SEC("fentry/do_unlinkat") int g_fentry(void *ctx) { return 0; }
                SEC("fexit/do_unlinkat") int h_fexit(void *ctx) { return 0; }
                SEC("socket") int i_socket(void *ctx) { return 0; }
                char LICENSE[] SEC("license") = "Dual BSD/GPL";
                """);
        Image image = PackageBuilder.build(Optional.of(c), Optional.empty(), List.of());
        JsonNode programs = JSON.readTree(image.label(PackageMetadata.PROGRAMS_LABEL).orElseThrow());
        assertEquals(JSON.readTree("""
                {"a_xdp":"xdp","b_tc":"tc","c_tcx":"tcx","d_tp":"tracepoint","e_kprobe":"kprobe","f_uprobe":"uprobe",
                 "g_fentry":"fentry","h_fexit":"fexit","i_socket":"socket_filter"}"""), programs);
        JsonNode pkg = JSON.readTree(image.label(PackageMetadata.PACKAGE_LABEL).orElseThrow());
        assertEquals("GPL-2.0-only OR BSD-2-Clause", pkg.path("license").asText());
        // Default hooks only where a dispatcher chains programs: XDP and legacy tc.
        assertEquals(JSON.readTree("""
                [{"program":"a_xdp","priority":50,"proceed_on":["pass","dispatcher_return"]},
                 {"program":"b_tc","priority":50,"proceed_on":["ok","pipe","dispatcher_return"]}]"""), pkg.path("hooks"));
        assertEquals(JSON.readTree("""
                ["kprobe","sched_cls","socket_filter","tracepoint","tracing","xdp"]"""),
                pkg.path("requirements").path("program_types"));
    }

    @Test
    void clangErrorsAreShown() throws IOException {
        Path c = dir.resolve("broken.c");
        Files.writeString(c, "int f(void) { return undeclared_thing; }\n");
        CompileException e = assertThrows(CompileException.class,
                () -> PackageBuilder.build(Optional.of(c), Optional.empty(), List.of()));
        assertTrue(e.getMessage().contains("broken.c:1:") && e.getMessage().contains("undeclared_thing"),
                e.getMessage());
    }

    @Test
    void tamperedBlobIsNamed() throws IOException {
        Image image = PackageBuilder.build(Optional.of(Tools.objectsDir().resolve("xdp_counter.o")), Optional.empty(),
                List.of());
        Path out = dir.resolve("layout");
        OciLayout.write(image, "0.1.0", out);
        Descriptor layer = image.manifest().layers().getFirst();
        Path blob = out.resolve("blobs/sha256").resolve(layer.digest().hex());
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 1;
        Files.write(blob, bytes);
        DigestMismatchException e = assertThrows(DigestMismatchException.class,
                () -> OciLayout.read(out, Optional.empty()));
        assertEquals(layer.digest(), e.expected());
        assertTrue(e.getMessage().contains(layer.digest().toString()), e.getMessage());
        // A truncated blob is caught by its size before hashing.
        Files.write(blob, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        e = assertThrows(DigestMismatchException.class, () -> OciLayout.read(out, Optional.empty()));
        assertTrue(e.getMessage().contains("bytes"), e.getMessage());
    }

    @Test
    void writingOverANonEmptyDirectoryLeavesItAlone() throws IOException {
        Image image = PackageBuilder.build(Optional.of(Tools.objectsDir().resolve("xdp_counter.o")), Optional.empty(),
                List.of());
        Path out = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> OciLayout.write(image, "0.1.0", out));
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains("partial")), "no temporary leftovers");
        }
    }
}
