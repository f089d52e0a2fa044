package io.bpfstore.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.testsupport.ExampleObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Layouts edited by an attacker: every one is refused with an {@link InvalidImageException} saying where. */
class LayoutHostileTest {
    @TempDir
    Path dir;

    private record Edit(String label, String file, String from, String to, String says) {
    }

    @TestFactory
    Stream<DynamicTest> hostileLayouts() throws IOException {
        Image image = PackageBuilder.build(Optional.of(ExampleObjects.dir().resolve("xdp_counter.o")), Optional.empty(),
                List.of());
        String manifest = image.digest().toString();
        String config = image.manifest().config().digest().toString();
        String manifestBlob = "blobs/sha256/" + image.digest().hex();
        List<Edit> edits = List.of(
                new Edit("path traversal in index digest", "index.json", manifest, "sha256:../../../../etc/passwd",
                        "is not a sha256 digest"),
                new Edit("other algorithm", "index.json", manifest, manifest.replace("sha256:", "md5:"),
                        "not a sha256 digest"),
                new Edit("negative size", "index.json", "\"size\":" + image.manifestBytes().length, "\"size\":-5",
                        "size must be a non-negative integer"),
                new Edit("absurd size", "index.json", "\"size\":" + image.manifestBytes().length,
                        "\"size\":999999999999", "limit"),
                new Edit("index not JSON", "index.json", "{", "<", "not valid JSON"),
                new Edit("no manifests", "index.json", "\"manifests\"", "\"manifestz\"", "no manifests array"),
                new Edit("unknown ref", "index.json", "\"0.1.0\"", "\"9.9.9\"", "no image named"),
                new Edit("config blob missing", manifestBlob, config, "sha256:" + "0".repeat(64), ""),
                new Edit("manifest schema", manifestBlob, "\"schemaVersion\":2", "\"schemaVersion\":1", ""),
                new Edit("no oci-layout file", "oci-layout", "1.0.0", "1.0.0", "not an OCI image layout"));
        return edits.stream().map(e -> DynamicTest.dynamicTest(e.label(), () -> {
            Path layout = dir.resolve(e.label().replace(' ', '-'));
            OciLayout.write(image, "0.1.0", layout);
            Path file = layout.resolve(e.file());
            String text = Files.readString(file);
            assertTrue(text.contains(e.from()), e.from() + " in " + text);
            Files.writeString(file, text.replace(e.from(), e.to()));
            if (e.label().equals("no oci-layout file")) {
                Files.delete(file); // not an OCI layout at all
            }
            InvalidImageException x = assertThrows(InvalidImageException.class,
                    () -> OciLayout.read(layout, Optional.of("0.1.0")));
            assertTrue(x.getMessage().contains(e.says()), x.getMessage());
            // Editing the manifest blob changes its hash: the index digest no longer matches.
            if (e.file().equals(manifestBlob)) {
                assertTrue(x.getMessage().contains(manifest), x.getMessage());
            }
        }));
    }
}
