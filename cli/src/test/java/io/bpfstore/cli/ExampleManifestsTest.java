package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.testsupport.ExampleObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every example has a bpfstore.yaml beside its source, and it packages with the compiled object. */
class ExampleManifestsTest {
    @TempDir
    Path out;

    @TestFactory
    Stream<DynamicTest> everyCatalogObjectHasAManifestThatPackages() throws IOException {
        Path src = ExampleObjects.dir().resolve("../../src").normalize();
        List<Path> objects;
        try (Stream<Path> s = Files.list(ExampleObjects.dir())) {
            objects = s.filter(p -> p.toString().endsWith(".o")).sorted().toList();
        }
        assertTrue(objects.size() >= 16, "catalog objects: " + objects);
        return objects.stream().map(o -> DynamicTest.dynamicTest(o.getFileName().toString(), () -> {
            String name = o.getFileName().toString().replace(".o", "");
            Path manifest = src.resolve(name + ".bpfstore.yaml");
            assertTrue(Files.isRegularFile(manifest), "missing " + manifest);
            Cli.Result r = Cli.run("package", o.toString(), "-m", manifest.toString(), "--out",
                    out.resolve(name).toString());
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().startsWith("packaged examples/" + name.replace('_', '-') + " 1.0.0"), r.out());
        }));
    }
}
