package io.bpfstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.analysis.permissions.Permission;
import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.build.PackageContents;
import io.bpfstore.store.build.PackageMetadata;
import io.bpfstore.store.build.UndeclaredPermissionsException;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.MediaTypes;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.TestPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Publishing refuses an object that needs permissions its manifest does not declare, naming the instructions. */
class PublishPermissionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String POKE = TestPrograms.PROBE_WRITE_USER;

    @TempDir
    Path dir;

    private Path manifest(String permissions) throws Exception {
        Files.writeString(dir.resolve("poke.c"), POKE);
        Path yaml = dir.resolve("bpfstore.yaml");
        Files.writeString(yaml, """
                name: poke
                namespace: tests
                version: 1.0.0
                license: GPL-2.0-only
                permissions: [%s]
                object: poke.c
                """.formatted(permissions));
        return yaml;
    }

    @Test
    void probeWriteUserUndeclaredIsRefusedNamingTheInstructionAndLine() throws Exception {
        Path yaml = manifest("observes-kernel-events");
        UndeclaredPermissionsException e = assertThrows(UndeclaredPermissionsException.class,
                () -> PackageBuilder.build(Optional.empty(), Optional.of(yaml), List.of()));
        assertEquals(Set.of(Permission.WRITES_PROCESS_MEMORY), e.permissions());
        int line = POKE.lines().toList().indexOf(POKE.lines().filter(l -> l.contains("bpf_probe_write_user"))
                .findFirst().orElseThrow()) + 1;
        assertTrue(e.getMessage().startsWith("tests/poke 1.0.0: "), e.getMessage());
        assertTrue(e.getMessage().contains("writes-process-memory (writes process memory)"), e.getMessage());
        // BPF_FUNC_probe_write_user is helper 36 (include/uapi/linux/bpf.h)
        assertTrue(e.getMessage().contains("program poke, insn " + e.evidence().getFirst().site().orElseThrow().slot()
                + ": call 0x24 at poke.c:" + line + "; calls bpf_probe_write_user"), e.getMessage());
        assertTrue(Files.list(dir).noneMatch(p -> p.toString().endsWith(".o")), "nothing left behind");
    }

    @Test
    void declaredBuildsAndATamperedLabelIsRefusedAtPush() throws Exception {
        Path yaml = manifest("observes-kernel-events, writes process memory");
        Image image = PackageBuilder.build(Optional.empty(), Optional.of(yaml), List.of());
        PackageContents contents = PackageContents.of(image);
        contents.requireDeclared();
        assertEquals(List.of("observes-kernel-events", "writes-process-memory"), contents.declared().ids());
        assertEquals("tests/poke", contents.repository());

        // Someone edits the label after packaging: the check on the image (what push runs) catches it.
        Image tampered = ImageEdits.withPermissions(image, List.of("observes-kernel-events"));
        OciLayout.write(tampered, "1.0.0", dir.resolve("layout"));
        PackageContents back = PackageContents.of(OciLayout.read(dir.resolve("layout"), Optional.empty()));
        UndeclaredPermissionsException e = assertThrows(UndeclaredPermissionsException.class,
                back::requireDeclared);
        assertEquals(Set.of(Permission.WRITES_PROCESS_MEMORY), e.permissions());
    }

    /** Every example packages with its own bpfstore.yaml: the catalog's declarations are complete. */
    @TestFactory
    Stream<DynamicTest> everyExampleManifestDeclaresWhatItsObjectDoes() {
        Path src = ExampleObjects.dir().resolve("../../src").normalize();
        // the catalog proper: the top-level objects (variants and rejected programs live in subdirectories)
        List<Path> catalog = ExampleObjects.topLevel();
        assertTrue(catalog.size() >= 10, catalog::toString);
        return catalog.stream().map(o -> DynamicTest.dynamicTest(o.getFileName().toString(), () -> {
            String name = o.getFileName().toString().replace(".o", "");
            Path yaml = src.resolve(name + ".bpfstore.yaml");
            assertTrue(Files.exists(yaml), yaml + " missing");
            Image image = PackageBuilder.build(Optional.of(o), Optional.of(yaml), List.of());
            PackageContents.of(image).requireDeclared();
        }));
    }
}
