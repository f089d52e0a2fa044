package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bpfstore package}: every example packages, twice to the same bytes, skopeo reads the result, and the
 * labels say what {@code bpfstore inspect} says about the object; bad manifests and sources are one clear line.
 */
class StorePackageCommandTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyExampleAgreesWithInspect() {
        return Cli.objects().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Path a = dir.resolve(p.getFileName() + ".a");
            Path b = dir.resolve(p.getFileName() + ".b");
            Cli.Result r = Cli.run("package", p.toString(), "--out", a.toString());
            assertEquals(0, r.exit(), r.err());
            assertEquals(0, Cli.run("package", p.toString(), "--out", b.toString()).exit());
            for (String f : List.of("index.json", "oci-layout")) {
                assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
            }
            // skopeo is the oracle for the image; its view of the labels is compared with inspect's view.
            JsonNode config = Json.mapper().readTree(Cli.tool("skopeo", "inspect", "--config", "oci:" + a + ":0.1.0"));
            JsonNode labels = config.path("config").path("Labels");
            JsonNode pkg = Json.mapper().readTree(labels.path("io.bpfstore.package").asText());
            JsonNode inspect = Json.mapper().readTree(Cli.run("inspect", "--output", "json", p.toString()).out());

            assertEquals(inspect.path("btf").asBoolean(), pkg.path("requirements").path("btf").asBoolean());
            TreeSet<String> types = new TreeSet<>();
            TreeSet<String> attach = new TreeSet<>();
            TreeSet<String> helpers = new TreeSet<>();
            TreeSet<String> kfuncs = new TreeSet<>();
            List<String> names = new ArrayList<>();
            for (JsonNode prog : inspect.path("programs")) {
                if (!prog.path("type").isNull()) {
                    types.add(prog.path("type").asText());
                }
                if (!prog.path("attach_type").isNull()) {
                    attach.add(prog.path("attach_type").asText());
                }
                prog.path("helpers").forEach(h -> helpers.add(h.asText()));
                prog.path("kfuncs").forEach(k -> kfuncs.add(k.asText()));
                names.add(prog.path("name").asText());
            }
            assertEquals(strings(types), pkg.path("requirements").path("program_types"));
            assertEquals(strings(attach), pkg.path("requirements").path("attach_types"));
            assertEquals(strings(helpers), pkg.path("requirements").path("helpers"));
            assertEquals(strings(kfuncs), pkg.path("requirements").path("kfuncs"));
            for (int i = 0; i < names.size(); i++) {
                JsonNode ours = pkg.path("programs").path(i);
                JsonNode theirs = inspect.path("programs").path(i);
                assertEquals(theirs.path("name"), ours.path("name"));
                assertEquals(theirs.path("section"), ours.path("section"));
                assertEquals(theirs.path("total_instructions").asLong(), ours.path("instructions").asLong());
                assertEquals(theirs.path("helpers"), ours.path("helpers"));
                assertTrue(labels.path("io.ebpf.programs").asText().contains("\"" + names.get(i) + "\""));
            }
            assertEquals(inspect.path("maps").size(), pkg.path("maps").size());
            JsonNode ebpfMaps = Json.mapper().readTree(labels.path("io.ebpf.maps").asText());
            for (int i = 0; i < inspect.path("maps").size(); i++) {
                JsonNode theirs = inspect.path("maps").path(i);
                JsonNode ours = pkg.path("maps").path(i);
                for (String field : List.of("name", "type", "key_size", "value_size", "max_entries", "flags")) {
                    assertEquals(theirs.path(field).asText(), ours.path(field).asText(), field);
                }
                assertEquals(theirs.path("type").asText(), ebpfMaps.path(theirs.path("name").asText()).asText());
            }
        }));
    }

    private static JsonNode strings(TreeSet<String> values) {
        return Json.mapper().valueToTree(List.copyOf(values));
    }

    @Test
    void manifestNamesVersionAndNamespace() throws IOException {
        Path object = Cli.objectsDir().resolve("xdp_counter.o");
        Files.copy(object, dir.resolve("xdp_counter.o"));
        Files.writeString(dir.resolve("bpfstore.yaml"), """
                name: xdp-counter
                namespace: examples
                version: 1.2.0
                description: Counts packets.
                license: GPL-2.0-only
                permissions: [inspects packets on an interface]
                hooks:
                  - program: xdp_count
                    priority: 20
                object: xdp_counter.o
                """);
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("package", "--manifest", dir.resolve("bpfstore.yaml").toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("packaged examples/xdp-counter 1.2.0"), r.out());
        JsonNode inspect = Json.mapper().readTree(Cli.tool("skopeo", "inspect", "oci:" + out + ":1.2.0"));
        assertEquals("1.2.0", inspect.path("Labels").path("io.bpfstore.package").asText().replaceAll(
                ".*\"version\":\"([^\"]+)\".*", "$1"));
        assertTrue(inspect.path("Labels").path("io.bpfstore.package").asText()
                .contains("{\"program\":\"xdp_count\",\"priority\":20,\"proceed_on\":[\"pass\",\"dispatcher_return\"]}"));
    }

    @Test
    void hostileManifestIsOneLineNamingTheField() throws IOException {
        Files.writeString(dir.resolve("bpfstore.yaml"), """
                name: ok
                namespace: examples
                version: 1.0.0
                license: MIT
                object: ../../../etc/shadow.o
                """);
        Cli.Result r = Cli.run("package", "--manifest", dir.resolve("bpfstore.yaml").toString(), "--out",
                dir.resolve("out").toString());
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("bpfstore package: bpfstore.yaml: object: "), r.err());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void clangErrorsReachTheUser() throws IOException {
        Path c = dir.resolve("broken.c");
        Files.writeString(c, "int f(void) { return nope; }\n");
        Cli.Result r = Cli.run("package", c.toString(), "--out", dir.resolve("out").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("clang could not compile") && r.err().contains("broken.c:1:22: error"), r.err());
    }

    @Test
    void notAnObjectIsOneLine() throws IOException {
        Path bogus = dir.resolve("bogus.o");
        Files.writeString(bogus, "not an ELF file at all");
        Cli.Result r = Cli.run("package", bogus.toString(), "--out", dir.resolve("out").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("bpfstore package: malformed object:"), r.err());
    }
}
