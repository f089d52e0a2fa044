package io.bpfstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.build.PackageContents;
import io.bpfstore.store.build.PackageMetadata;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.manifest.ManifestException;
import io.bpfstore.store.manifest.ManifestParser;
import io.bpfstore.store.manifest.PackageManifest;
import io.bpfstore.store.manifest.ProgramSetting;
import io.bpfstore.testsupport.BpfClang;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code programs: NAME: {type: TYPE}} in bpfstore.yaml: the type of a program whose section names none, in
 * {@code load --type}'s vocabulary; bad types and programs the object lacks are errors at their line and column;
 * the package records the types so that every reader of its object (push checks, check, install) sees them.
 */
class ManifestProgramTypesTest {
    private static final String MANIFEST = """
            name: udp-filter
            namespace: local
            version: 1.0.0
            license: GPL-2.0-only
            permissions: [inspects-interface-packets, drops-packets]
            object: untyped.o
            programs:
              udp_filter:
                type: xdp
            """;

    @TempDir
    Path dir;

    /** An XDP program in a section that names no program type (clang, written here). */
    private byte[] untypedObject() throws IOException {
        Path c = dir.resolve("untyped.c");
        Files.writeString(c, """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                char LICENSE[] SEC("license") = "GPL";
                SEC("filters/udp") int udp_filter(struct xdp_md *ctx)
                {
                	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
                	return data + 24 > end ? 2 : ((unsigned char *)data)[23] == 17 ? 1 : 2;
                }
                """);
        return Files.readAllBytes(BpfClang.compile(c, dir.resolve("untyped.o")));
    }

    @Test
    void typesParseWithTheirPlace() {
        PackageManifest m = ManifestParser.parse(MANIFEST, dir);
        assertEquals(List.of(new ProgramSetting("udp_filter", ProgramType.XDP,
                Optional.of(new ManifestException.Location(8, 3)))), m.programs());
        assertEquals(Map.of("udp_filter", ProgramType.XDP), m.programTypes().byProgram());
    }

    @Test
    void badTypeIsNamedAtItsValue() {
        ManifestException e = assertThrows(ManifestException.class,
                () -> ManifestParser.parse(MANIFEST.replace("type: xdp", "type: xpd"), dir));
        assertEquals("programs.udp_filter.type", e.field());
        assertEquals(Optional.of(new ManifestException.Location(9, 11)), e.location());
        assertEquals("bpfstore.yaml:9:11: programs.udp_filter.type: unknown program type xpd (bpftool's names: xdp,"
                + " sched_cls, sched_act, socket_filter, kprobe, tracepoint, ...)", e.getMessage());
    }

    @Test
    void malformedEntriesAreRefused() {
        ManifestException notC = assertThrows(ManifestException.class,
                () -> ManifestParser.parse(MANIFEST.replace("udp_filter:", "udp-filter:"), dir));
        assertEquals("bpfstore.yaml:8:3: programs.udp-filter: not a C function name", notC.getMessage());
        ManifestException noType = assertThrows(ManifestException.class,
                () -> ManifestParser.parse(MANIFEST.replace("type: xdp", "{}"), dir));
        assertEquals("programs.udp_filter.type", noType.field());
        ManifestException unknownKey = assertThrows(ManifestException.class,
                () -> ManifestParser.parse(MANIFEST.replace("type: xdp", "kind: xdp"), dir));
        assertEquals(Optional.of(new ManifestException.Location(9, 5)), unknownKey.location(),
                unknownKey.getMessage());
    }

    @Test
    void programTheObjectLacksIsNamedAtItsLineWhenPackaging() throws IOException {
        byte[] bytes = untypedObject();
        PackageManifest m = ManifestParser.parse(MANIFEST.replace("udp_filter:", "udp_filtr:"), dir);
        ManifestException e = assertThrows(ManifestException.class, () -> PackageBuilder.build(
                BpfObject.parse(bytes, "untyped"), bytes, "untyped.o", m));
        assertEquals("bpfstore.yaml:8:3: programs.udp_filtr: the object has no program \"udp_filtr\" (it has:"
                + " udp_filter)", e.getMessage());
    }

    @Test
    void packageRecordsTheTypeAndItsReadersApplyIt() throws IOException {
        byte[] bytes = untypedObject();
        BpfObject untyped = BpfObject.parse(bytes, "untyped");
        assertEquals(Optional.empty(), untyped.programs().getFirst().type(), "the section names no type");
        Image image = PackageBuilder.build(untyped, bytes, "untyped.o", ManifestParser.parse(MANIFEST, dir));
        PackageContents contents = PackageContents.of(image);
        assertEquals(Optional.of(ProgramType.XDP), contents.object().program("udp_filter").orElseThrow().type());
        assertEquals("xdp", contents.label().path(PackageMetadata.PROGRAM_TYPES).path("udp_filter").asText());
        assertEquals("xdp", contents.label().path("programs").get(0).path("type").asText());
        assertEquals("udp_filter", contents.label().path("hooks").path(0).path("program").asText(),
                "as an XDP program it gets the default dispatcher hook");
        contents.requireDeclared(); // the derived permissions are those of an XDP program, as declared
    }
}
