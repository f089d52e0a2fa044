package io.bpfstore.bytecode.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.testsupport.BpfClang;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects in the conventions libbpf 0.x and iproute2 accepted, compiled by clang from C that declares the old
 * headers' structs itself: {@code struct bpf_map_def} and {@code struct bpf_elf_map} records of the sizes objects
 * use, programs without function symbols, sections that name no program type; and the typed errors for records
 * that are truncated or inconsistent.
 */
class LegacyObjectsTest {
    private static final String HEADER = """
            #include <linux/bpf.h>
            #define SEC(n) __attribute__((section(n), used))
            struct bpf_map_def { unsigned int type, key_size, value_size, max_entries, map_flags; };
            struct bpf_elf_map { unsigned int type, size_key, size_value, max_elem, flags, id, pinning, inner_id, inner_idx; };
            char _license[] SEC("license") = "GPL";
            """;

    @TempDir
    Path dir;

    private BpfObject compile(String name, String body) throws IOException {
        Path c = dir.resolve(name + ".c");
        Files.writeString(c, HEADER + body);
        return BpfObject.read(BpfClang.compile(c, dir.resolve(name + ".o")));
    }

    @Test
    void bpfMapDefRecords() throws IOException {
        BpfObject o = compile("mapdef", """
                struct bpf_map_def SEC("maps") counts = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
                    .max_entries = 4 };
                struct bpf_map_def SEC("maps") flows = { .type = BPF_MAP_TYPE_HASH, .key_size = 8, .value_size = 16,
                    .max_entries = 1024, .map_flags = BPF_F_NO_PREALLOC };
                SEC("socket") int s(void *ctx) { return 0; }
                """);
        assertEquals(List.of(
                new MapDefinition("counts", "maps", 2, 4, 8, 4, 0, 0, 0, 0, Optional.empty()),
                new MapDefinition("flows", "maps", 1, 8, 16, 1024, 1, 0, 0, 0, Optional.empty())), o.maps());
    }

    @Test
    void iproute2ElfMapRecords() throws IOException {
        BpfObject o = compile("elfmap", """
                struct bpf_elf_map SEC("maps") jmp = { .type = BPF_MAP_TYPE_PROG_ARRAY, .size_key = 4,
                    .size_value = 4, .max_elem = 8, .pinning = 2 };
                struct bpf_elf_map SEC("maps") inner = { .type = BPF_MAP_TYPE_ARRAY, .size_key = 4, .size_value = 4,
                    .max_elem = 1, .id = 42, .inner_idx = 3 };
                struct bpf_elf_map SEC("maps") outer = { .type = BPF_MAP_TYPE_ARRAY_OF_MAPS, .size_key = 4,
                    .size_value = 4, .max_elem = 8, .pinning = 1, .inner_id = 42 };
                SEC("classifier") int cls(void *ctx) { return 0; }
                """);
        MapDefinition inner = o.map("inner").orElseThrow();
        assertEquals(Optional.of(new ElfMapFields(42, 0, 0, 3)), inner.elfMap());
        assertTrue(inner.elfMap().get().insertedIntoOuter());
        assertEquals(Optional.of(new ElfMapFields(0, ElfMapFields.PIN_GLOBAL_NS, 0, 0)), o.map("jmp").get().elfMap());
        MapDefinition outer = o.map("outer").orElseThrow();
        assertEquals(12, outer.type());
        assertEquals(Optional.of(new ElfMapFields(0, ElfMapFields.PIN_OBJECT_NS, 42, 0)), outer.elfMap());
        assertEquals(Optional.of(new MapDefinition("inner", "maps", 2, 4, 4, 1, 0, 0, 0, 0, Optional.empty())),
                outer.inner(), "the record with id 42 is the inner-map template");
        assertEquals(ProgramType.SCHED_CLS, o.program("cls").orElseThrow().type().orElseThrow(),
                "iproute2's default section 'classifier'");
    }

    @Test
    void longerRecordsNeedZeroTrailingFields() throws IOException {
        String zero = """
                struct longer { struct bpf_elf_map m; unsigned int future; };
                struct longer SEC("maps") a = { .m = { .type = BPF_MAP_TYPE_HASH, .size_key = 4, .size_value = 4,
                    .max_elem = 2 } };
                struct longer SEC("maps") b = { .m = { .type = BPF_MAP_TYPE_ARRAY, .size_key = 4, .size_value = 4,
                    .max_elem = 2 }, .future = %s };
                SEC("socket") int s(void *ctx) { return 0; }
                """;
        assertEquals(2, compile("zero", zero.formatted("0")).maps().size());
        MalformedObjectException e = assertThrows(MalformedObjectException.class,
                () -> compile("nonzero", zero.formatted("7")));
        assertEquals("maps", e.where());
        assertEquals(40 + 36, e.offset(), "the first byte of b's unknown field");
    }

    @Test
    void inconsistentRecordsAreTypedErrors() {
        MalformedObjectException sizes = assertThrows(MalformedObjectException.class, () -> compile("sizes", """
                struct bpf_map_def SEC("maps") a = { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 4,
                    .max_entries = 2 };
                struct bigger { struct bpf_map_def d; unsigned int extra; };
                struct bigger SEC("maps") b = { { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 4,
                    .max_entries = 2 } };
                SEC("socket") int s(void *ctx) { return 0; }
                """));
        assertEquals("maps", sizes.where());
        assertTrue(sizes.problem().contains("records of 22 bytes"), sizes.problem());

        MalformedObjectException inner = assertThrows(MalformedObjectException.class, () -> compile("inner", """
                struct bpf_elf_map SEC("maps") outer = { .type = BPF_MAP_TYPE_HASH_OF_MAPS, .size_key = 4,
                    .size_value = 4, .max_elem = 8, .inner_id = 9 };
                SEC("socket") int s(void *ctx) { return 0; }
                """));
        assertEquals("maps", inner.where());
        assertEquals(28, inner.offset(), "outer's inner_id field");
        assertTrue(inner.problem().contains("inner map id 9"), inner.problem());

        MalformedObjectException ids = assertThrows(MalformedObjectException.class, () -> compile("ids", """
                struct bpf_elf_map SEC("maps") a = { .type = BPF_MAP_TYPE_ARRAY, .size_key = 4, .size_value = 4,
                    .max_elem = 1, .id = 5 };
                struct bpf_elf_map SEC("maps") b = { .type = BPF_MAP_TYPE_ARRAY, .size_key = 4, .size_value = 4,
                    .max_elem = 1, .id = 5 };
                SEC("socket") int s(void *ctx) { return 0; }
                """));
        assertEquals(36 + 20, ids.offset(), "b's id field");
    }

    @Test
    void programsWithoutFunctionSymbolsAreNamedAfterTheirSection() throws IOException {
        Path s = dir.resolve("nosym.s");
        Files.writeString(s, """
                	.section	"classifier/ingress-policy","ax"
                	r0 = 0
                	exit
                	.section	"classifier/ingress-policy-2","ax"
                	r0 = 2
                	exit
                	.section	prog,"ax"
                	r0 = 2
                	exit
                	.section	license,"aw"
                	.asciz	"GPL"
                """);
        Path o = dir.resolve("nosym.o");
        io.bpfstore.testsupport.ExternalTool.output(List.of("clang", "-target", "bpf", "-c", s.toString(), "-o",
                o.toString()));
        BpfObject object = BpfObject.read(o);
        assertEquals(List.of("classifier_ingr", "classifier_in_2", "prog"),
                object.programs().stream().map(Program::name).toList(),
                "letters, digits, _ and . only; 15 characters; distinct");
        assertEquals(Optional.empty(), object.program("prog").orElseThrow().type(), "'prog' names no type");

        BpfObject typed = ProgramTypes.parse(List.of("xdp", "classifier_in_2=sched_act")).applyTo(object);
        Program prog = typed.program("prog").orElseThrow();
        assertEquals(Optional.of(ProgramType.XDP), prog.type());
        assertEquals(Optional.of(AttachType.XDP), prog.attachType(), "libbpf's xdp row's expected attach type");
        assertEquals(Optional.of(ProgramType.SCHED_ACT), typed.program("classifier_in_2").orElseThrow().type());
        assertEquals(Optional.of(ProgramType.SCHED_CLS), typed.program("classifier_ingr").orElseThrow().type());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ProgramTypes.parse(List.of("prog=xpd")));
        assertTrue(unknown.getMessage().startsWith("--type prog=xpd: unknown program type xpd"), unknown.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ProgramTypes.parse(List.of("nope=xdp")).applyTo(object));
        assertTrue(missing.getMessage().contains("has no program nope"), missing.getMessage());
    }
}
