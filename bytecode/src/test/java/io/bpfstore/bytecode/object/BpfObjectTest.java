package io.bpfstore.bytecode.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.testsupport.BpfClang;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import io.bpfstore.testsupport.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Compares the object model with libbpf: {@code bpftool gen skeleton} opens the object with libbpf and writes
 * out every program and map it found, in libbpf's order, with libbpf's names.
 */
class BpfObjectTest {
    private static final Pattern MAP = Pattern.compile("s->maps\\[\\d+]\\.name = \"([^\"]+)\";");
    private static final Pattern PROG = Pattern.compile("s->progs\\[\\d+]\\.name = \"([^\"]+)\";");

    /** Objects libbpf 1.x refuses to open, with the reason; we still read them. */
    private static final Map<String, String> LIBBPF_REFUSES = Map.of(
            "legacy_maps.o", "legacy map definitions in 'maps' section are not supported",
            "xdp_counter.nobtf.o", "BTF is required",
            "xdp_counter.bpfeb.o", "endianness mismatch",
            "tc_flow_bytes.bpfeb.o", "endianness mismatch",
            "socket_filter.bpfeb.o", "endianness mismatch");

    @TestFactory
    Stream<DynamicTest> programsAndMapsMatchLibbpf() {
        return ExampleObjects.all().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            BpfObject object = BpfObject.read(p);
            String file = p.getFileName().toString();
            Skeleton skeleton = skeleton(p, object.name());
            if (LIBBPF_REFUSES.containsKey(file)) {
                assertTrue(skeleton.error().contains(LIBBPF_REFUSES.get(file)),
                        file + ": expected libbpf to refuse with \"" + LIBBPF_REFUSES.get(file) + "\", got: "
                                + skeleton.error());
                assertFalse(object.programs().isEmpty(), file + ": we read it all the same");
                return;
            }
            assertTrue(skeleton.error().isEmpty(), file + ": bpftool failed: " + skeleton.error());
            assertEquals(skeleton.programs(), object.programs().stream().map(Program::name).toList(),
                    file + " programs");
            assertEquals(skeleton.maps(), object.maps().stream().map(MapDefinition::name).toList(), file + " maps");
        }));
    }

    private record Skeleton(List<String> programs, List<String> maps, String error) {
    }

    private static Skeleton skeleton(Path object, String name) throws IOException, InterruptedException {
        ToolResult run = ExternalTool.run("bpftool", "gen", "skeleton", object.toString(), "name", name);
        String out = run.out();
        if (!run.succeeded()) {
            return new Skeleton(List.of(), List.of(), run.err().isEmpty() ? "exit " + run.exit() : run.err());
        }
        List<String> programs = new ArrayList<>();
        List<String> maps = new ArrayList<>();
        for (Matcher m = PROG.matcher(out); m.find(); ) {
            programs.add(m.group(1));
        }
        for (Matcher m = MAP.matcher(out); m.find(); ) {
            maps.add(m.group(1));
        }
        return new Skeleton(programs, maps, "");
    }

    @Test
    void readsSubprogramsAndTheirHelpers() throws IOException {
        BpfObject loops = BpfObject.read(ExampleObjects.dir().resolve("loops.o"));
        Program p = loops.program("xdp_loops").orElseThrow();
        assertEquals(ProgramType.XDP, p.type().orElseThrow());
        assertFalse(p.subprograms().isEmpty(), "bpf_loop callback is a subprogram");
        assertTrue(p.totalSlots() > p.slots());
    }

    /** clang 19 emits kfunc calls with src_reg 2, clang 14 as pseudo calls to an extern: both are kfuncs. */
    @Test
    void kfuncCallsFromEitherClang(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path source = dir.resolve("k.c");
        Files.writeString(source, """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                extern void bpf_rcu_read_lock(void) __ksym;
                extern void bpf_rcu_read_unlock(void) __ksym;
                SEC("tp/syscalls/sys_enter_getpid") int k(void *ctx) {
                    bpf_rcu_read_lock(); bpf_rcu_read_unlock(); return 0; }
                char LICENSE[] SEC("license") = "GPL";
                """);
        for (String clang : new String[] {"clang", "clang-19"}) {
            Path object = dir.resolve(clang + ".o");
            BpfClang.compile(clang, source, object);
            Program k = BpfObject.read(object).program("k").orElseThrow();
            assertEquals(List.of("bpf_rcu_read_lock", "bpf_rcu_read_unlock"), k.kfuncs(), clang);
            assertTrue(k.subprograms().isEmpty(), clang + ": a kfunc is not a subprogram");
        }
    }

    @Test
    void internalMapNamesFollowLibbpf() {
        assertEquals("my_objec.rodata", ObjectReader.internalMapName("my_object_name", ".rodata"));
        assertEquals("my_objec.bss", ObjectReader.internalMapName("my_object_name", ".bss"));
        assertEquals("my_obje.kconfig", ObjectReader.internalMapName("my_object_name", ".kconfig"));
        assertEquals(".rodata.abracad", ObjectReader.internalMapName("x", ".rodata.abracadabra"));
        assertEquals("a_b.data", ObjectReader.internalMapName("a-b", ".data"));
    }

    @Test
    void refusesNonBpfElf() throws IOException {
        Path self = Path.of("/proc/self/exe").toRealPath();
        byte[] head = Files.readAllBytes(self);
        MalformedObjectException e = assertThrows(MalformedObjectException.class, () -> BpfObject.parse(head, "x"));
        assertTrue(e.getMessage().contains("not an eBPF object") || e.getMessage().contains("relocatable"),
                e.getMessage());
    }

    /** Random single-byte corruptions of real objects give the typed error or a valid model, never a crash. */
    @TestFactory
    Stream<DynamicTest> corruptionGivesTypedErrors() {
        return ExampleObjects.all().stream().limit(8).map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            byte[] whole = Files.readAllBytes(p);
            java.util.Random random = new java.util.Random(p.getFileName().hashCode());
            for (int i = 0; i < 300; i++) {
                byte[] b = whole.clone();
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                try {
                    BpfObject.parse(b, "fuzz");
                } catch (MalformedObjectException expected) {
                    // the only acceptable failure
                } catch (RuntimeException e) {
                    throw new AssertionError("mutation " + i + " of " + p.getFileName() + " threw " + e, e);
                }
            }
        }));
    }
}
