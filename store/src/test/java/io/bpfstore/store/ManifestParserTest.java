package io.bpfstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.store.manifest.Hook;
import io.bpfstore.store.manifest.ManifestDefaults;
import io.bpfstore.store.manifest.ManifestException;
import io.bpfstore.store.manifest.ManifestParser;
import io.bpfstore.store.manifest.PackageManifest;
import io.bpfstore.store.manifest.SpdxLicense;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** bpfstore.yaml: a full manifest, every kind of hostile one, and the defaults derived from an object. */
class ManifestParserTest {
    private static final String GOOD = """
            name: xdp-counter
            namespace: examples
            version: 1.2.0-rc.1
            description: Counts packets per CPU.
            license: GPL-2.0-only OR BSD-2-Clause
            homepage: https://example.org/xdp-counter
            authors: [Ada <ada@example.org>]
            permissions: [drops packets, inspects-interface-packets]
            hooks:
              - program: xdp_count
                priority: 10
                proceed_on: [pass, dispatcher_return]
            object: xdp_counter.o
            """;

    @TempDir
    Path dir;

    @Test
    void fullManifest() {
        PackageManifest m = ManifestParser.parse(GOOD, dir);
        assertEquals("xdp-counter", m.name());
        assertEquals("examples/xdp-counter", m.repository());
        assertEquals("1.2.0-rc.1", m.version().text());
        assertEquals("GPL-2.0-only OR BSD-2-Clause", m.license());
        assertEquals(Optional.of("https://example.org/xdp-counter"), m.homepage());
        assertEquals(List.of("inspects-interface-packets", "drops-packets"), m.permissions(),
                "plain names and ids read as ids, in the vocabulary's order");
        assertEquals(List.of(new Hook("xdp_count", 10, List.of("pass", "dispatcher_return"))), m.hooks());
        assertEquals("xdp_counter.o", m.object());
    }

    /** Each hostile manifest with the field the error must name (and whether a line number is expected). */
    private record Hostile(String label, String yaml, String field, String says, boolean located) {
    }

    private static String replace(String key, String line) {
        return GOOD.lines().map(l -> l.startsWith(key + ":") ? line : l).reduce("", (a, b) -> a + b + "\n");
    }

    @TestFactory
    Stream<DynamicTest> hostileManifests() throws IOException {
        StringBuilder laughs = new StringBuilder(GOOD.replace("authors: [Ada <ada@example.org>]\n", ""));
        laughs.append("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            laughs.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                laughs.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            laughs.append("]\n");
        }
        String hugeList = "permissions: [" + String.join(", ", java.util.Collections.nCopies(1000, "p")) + "]";
        List<Hostile> cases = List.of(
                new Hostile("unknown key", GOOD + "install_script: rm -rf /\n", "install_script", "unknown key", true),
                new Hostile("unknown hook key", GOOD.replace("priority: 10", "priority: 10\n    weight: 3"),
                        "hooks[0].weight", "unknown key", true),
                new Hostile("wrong type: list for string", replace("name", "name: [a, b]"), "name", "expected text", true),
                new Hostile("wrong type: string priority", GOOD.replace("priority: 10", "priority: high"),
                        "hooks[0].priority", "wrong type", true),
                new Hostile("wrong type: number for version", replace("version", "version: 1.2"), "version",
                        "wrong type", true),
                new Hostile("huge string", replace("description", "description: " + "x".repeat(70_000)), "",
                        "larger than", false),
                new Hostile("long description", replace("description", "description: " + "x".repeat(5000)),
                        "description", "longer than", false),
                new Hostile("huge list", replace("permissions", hugeList), "permissions", "at most", false),
                new Hostile("billion laughs", laughs.toString(), "", "alias", true),
                new Hostile("duplicate key", GOOD + "name: other\n", "name", "given twice", true),
                new Hostile("bad semver: leading zero", replace("version", "version: 01.2.0"), "version",
                        "not a semantic version", false),
                new Hostile("bad semver: v prefix", replace("version", "version: v1.2.0"), "version",
                        "not a semantic version", false),
                new Hostile("semver build metadata", replace("version", "version: 1.2.0+build.5"), "version",
                        "OCI tag", false),
                new Hostile("name with upper case", replace("name", "name: XDP-Counter"), "name", "OCI repository", false),
                new Hostile("name with slash", replace("name", "name: a/b"), "name", "OCI repository", false),
                new Hostile("name with double dash", replace("name", "name: a--b"), "name", "OCI repository", false),
                new Hostile("namespace too long", replace("namespace", "namespace: " + "a".repeat(65)), "namespace",
                        "longer than", false),
                new Hostile("missing version", replace("version", ""), "version", "missing", false),
                new Hostile("not SPDX", replace("license", "license: GPL v2"), "license", "SPDX", false),
                new Hostile("homepage not http", replace("homepage", "homepage: javascript:alert(1)"), "homepage",
                        "http", false),
                new Hostile("priority too high", GOOD.replace("priority: 10", "priority: 1001"), "hooks[0].priority",
                        "outside 1..1000", false),
                new Hostile("priority zero", GOOD.replace("priority: 10", "priority: 0"), "hooks[0].priority",
                        "outside 1..1000", false),
                new Hostile("unknown action", GOOD.replace("[pass, dispatcher_return]", "[pass, explode]"),
                        "hooks[0].proceed_on[1]", "unknown action", false),
                new Hostile("bad permission", replace("permissions", "permissions: [\"ALL THE THINGS\"]"),
                        "permissions[0]", "is not a permission (known: inspects-interface-packets", false),
                new Hostile("old-style permission", replace("permissions", "permissions: [drops-packets, net:xdp]"),
                        "permissions[1]", "\"net:xdp\" is not a permission", false),
                new Hostile("same permission twice", replace("permissions",
                        "permissions: [drops-packets, drops packets]"), "permissions[1]", "same permission as", false),
                new Hostile("path escape", replace("object", "object: ../../etc/passwd.o"), "object",
                        "leaves the manifest's directory", false),
                new Hostile("absolute path", replace("object", "object: /tmp/x.o"), "object",
                        "leaves the manifest's directory", false),
                new Hostile("not an object", replace("object", "object: payload.sh"), "object", ".o", false),
                new Hostile("not a mapping", "- just\n- a list\n", "", "expected a mapping of keys", true),
                new Hostile("hook not a mapping", GOOD.replace("  - program: xdp_count\n    priority: 10\n"
                        + "    proceed_on: [pass, dispatcher_return]", "  - xdp_count"), "hooks[0]", "expected a mapping", true),
                new Hostile("broken YAML", GOOD + "authors: [unclosed\n", "", "not valid YAML", true),
                new Hostile("empty", "", "", "empty", false));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.label(), () -> {
            ManifestException e = assertThrows(ManifestException.class, () -> ManifestParser.parse(c.yaml(), dir));
            assertEquals(c.field(), e.field(), e.getMessage());
            assertTrue(e.getMessage().contains(c.says()), e.getMessage());
            if (c.located()) {
                assertTrue(e.location().isPresent(), "line/column expected: " + e.getMessage());
            }
        }));
    }

    @Test
    void unknownKeyIsLocatedOnItsLine() {
        ManifestException e = assertThrows(ManifestException.class,
                () -> ManifestParser.parse(GOOD + "install_script: x\n", dir));
        assertEquals(GOOD.lines().count() + 1, e.location().orElseThrow().line(), e.getMessage());
    }

    @Test
    void symlinkOutOfTheDirectoryIsRefused() throws IOException {
        Path outside = Files.createTempFile("bpfstore-outside", ".o");
        try {
            Files.createSymbolicLink(dir.resolve("link.o"), outside);
            ManifestException e = assertThrows(ManifestException.class,
                    () -> ManifestParser.parse(replace("object", "object: link.o"), dir));
            assertEquals("object", e.field());
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void oversizedFileIsRefusedBeforeParsing() throws IOException {
        Path file = dir.resolve("bpfstore.yaml");
        Files.write(file, new byte[ManifestParser.MAX_BYTES + 1]);
        ManifestException e = assertThrows(ManifestException.class, () -> ManifestParser.read(file));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    @TestFactory
    Stream<DynamicTest> defaultsFromEveryExample() {
        return Tools.objects().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            BpfObject object = BpfObject.read(p);
            PackageManifest m = ManifestDefaults.derive(object, p.getFileName().toString());
            String base = p.getFileName().toString().split("\\.")[0];
            assertEquals(base.replace('_', '-'), m.name());
            assertEquals("0.1.0", m.version().text());
            // Oracle for the licence: the section's bytes as llvm-objcopy dumps them.
            Path dump = dir.resolve(base + ".license");
            Tools.tool("llvm-objcopy", "--dump-section", "license=" + dump, p.toString(), dir.resolve("scratch.o")
                    .toString());
            String kernelLicense = new String(Files.readAllBytes(dump), StandardCharsets.US_ASCII).replace("\0", "");
            assertEquals(SpdxLicense.fromKernelLicense(kernelLicense).orElseThrow(), m.license());
            // One hook per XDP/legacy-tc program (tcx has no dispatcher), with libxdp's/bpfman's defaults.
            long dispatched = object.programs().stream().filter(pr -> pr.type().isPresent()
                    && (pr.type().get().bpftoolName().equals("xdp") || pr.type().get().bpftoolName().equals("sched_cls")
                    && !pr.attachType().map(t -> t.libbpfName().startsWith("tcx")).orElse(false)))
                    .count();
            assertEquals(dispatched, m.hooks().size(), m.hooks().toString());
        }));
    }

    @Test
    void kernelLicencesMapToSpdx() {
        assertEquals(Optional.of("GPL-2.0-only"), SpdxLicense.fromKernelLicense("GPL"));
        assertEquals(Optional.of("GPL-2.0-only OR BSD-2-Clause"), SpdxLicense.fromKernelLicense("Dual BSD/GPL"));
        assertEquals(Optional.of("MIT"), SpdxLicense.fromKernelLicense("MIT"));
        assertEquals(Optional.empty(), SpdxLicense.fromKernelLicense("all mine, no touching"));
    }

    @Test
    void hooksAreCheckedAgainstTheObject() throws IOException {
        BpfObject object = BpfObject.read(Tools.objectsDir().resolve("xdp_counter.o"));
        String program = object.programs().getFirst().name();
        PackageManifest wrongProgram = ManifestParser.parse(GOOD.replace("xdp_count", "no_such_prog"), dir);
        ManifestException e = assertThrows(ManifestException.class,
                () -> ManifestDefaults.resolveHooks(wrongProgram, object));
        assertEquals("hooks[0].program", e.field());
        PackageManifest tcAction = ManifestParser.parse(GOOD.replace("xdp_count", program)
                .replace("[pass, dispatcher_return]", "[shot]"), dir);
        e = assertThrows(ManifestException.class, () -> ManifestDefaults.resolveHooks(tcAction, object));
        assertTrue(e.getMessage().contains("not a xdp action"), e.getMessage());
    }
}
