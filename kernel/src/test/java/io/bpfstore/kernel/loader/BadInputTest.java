package io.bpfstore.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.PinDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects that need what this kernel lacks (a kfunc, a struct field, a map type) are refused with one line that
 * names the program and the missing feature; libbpf refuses each of them too.
 */
class BadInputTest {
    private static final String HEADERS = """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>
            #include <bpf/bpf_core_read.h>
            char LICENSE[] SEC("license") = "GPL";
            """;
    private static PinDir pins;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        Oracles.requireRoot();
        pins = PinDir.create("loader-bad");
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (pins != null) {
            pins.close();
        }
    }

    private void libbpfRefuses(Path object) throws IOException {
        Path target = pins.resolve(object.getFileName().toString().replace('.', '_'));
        Bpftool.Result r = Bpftool.loadAll(object, target);
        Differential.deleteTree(target);
        assertFalse(r.ok(), "libbpf loads " + object.getFileName() + ", so the test object is not bad input");
    }

    @Test
    void missingKfuncNamesProgramAndKfunc() throws IOException {
        Path o = Clang.compile(dir, "kfunc", HEADERS + """
                extern void bpf_kfunc_bpfstore_lacks(void) __ksym;
                SEC("xdp") int xdp_needs_kfunc(struct xdp_md *ctx) { bpf_kfunc_bpfstore_lacks(); return XDP_PASS; }
                """);
        LoadException e = assertThrows(LoadException.class, () -> Loader.load(BpfObject.read(o), LoadOptions.defaults()));
        assertEquals("load program \"xdp_needs_kfunc\" (xdp), function xdp_needs_kfunc: this kernel has no kfunc "
                + "bpf_kfunc_bpfstore_lacks (not in its BTF; the kfunc needs another kernel version or configuration)",
                e.getMessage());
        libbpfRefuses(o);
    }

    @Test
    void kfuncThatExistsIsCalledByBtfId() throws IOException {
        // bpf_rcu_read_lock is a kfunc every kernel with BTF since 6.2 has, usable from tracepoint programs
        Path o = Clang.compile(dir, "kfunc_ok", HEADERS + """
                extern void bpf_rcu_read_lock(void) __ksym;
                extern void bpf_rcu_read_unlock(void) __ksym;
                SEC("tracepoint/sched/sched_process_exit")
                int tp_rcu(void *ctx) { bpf_rcu_read_lock(); bpf_rcu_read_unlock(); return 0; }
                """);
        Path target = pins.resolve("kfunc_ok");
        Bpftool.Result libbpf = Bpftool.loadAll(o, target);
        try (LoadedObject loaded = Loader.load(BpfObject.read(o), LoadOptions.defaults())) {
            assertTrue(libbpf.ok(), "libbpf refused what we loaded: " + libbpf.output());
            Xlated x = new Xlated();
            try (var theirs = io.bpfstore.kernel.BpfProgram.openPinned(target.resolve("tp_rcu"))) {
                assertEquals(x.normalise(theirs.translatedInstructions()),
                        x.normalise(loaded.program("tp_rcu").translatedInstructions()));
            }
        } finally {
            Differential.deleteTree(target);
        }
    }

    @Test
    void missingStructFieldIsExplainedAtItsLine() throws IOException {
        Path o = Clang.compile(dir, "core_missing", HEADERS + """
                struct task_struct { int bpfstore_no_such_field; } __attribute__((preserve_access_index));
                SEC("tracepoint/sched/sched_process_exit")
                int tp_missing_field(void *ctx)
                {
                	struct task_struct *t = (void *)bpf_get_current_task();
                	return BPF_CORE_READ(t, bpfstore_no_such_field);
                }
                """);
        ProgramRejectedException e = assertThrows(ProgramRejectedException.class,
                () -> Loader.load(BpfObject.read(o), LoadOptions.defaults()));
        assertEquals("tp_missing_field", e.program());
        assertEquals("field task_struct.bpfstore_no_such_field", e.missingFeature().orElseThrow());
        assertTrue(e.getMessage().startsWith("load program \"tp_missing_field\" (tracepoint): the verifier rejected it:"
                + " this kernel has no field task_struct.bpfstore_no_such_field"), e.getMessage());
        KernelLineComments.Line kernel = KernelLineComments.atRefusal(e.verifierLog());
        assertEquals(kernel.line(), e.sourceLine().orElseThrow().line(), e.getMessage());
        assertTrue(e.getMessage().endsWith(" at " + e.sourceLine().get()), e.getMessage());
        assertTrue(e.verifierLog().contains("invalid func unknown#195896080"), "the kernel saw the poisoned call");
        libbpfRefuses(o);
    }

    @Test
    void mapTypeTheKernelLacksNamesMapAndProgram() throws IOException {
        Path o = Clang.compile(dir, "odd_map", HEADERS + """
                struct { __uint(type, 250); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); }
                    odd_map SEC(".maps");
                SEC("xdp") int xdp_odd_map(struct xdp_md *ctx)
                { __u32 k = 0; return bpf_map_lookup_elem(&odd_map, &k) ? XDP_PASS : XDP_DROP; }
                """);
        LoadException e = assertThrows(LoadException.class, () -> Loader.load(BpfObject.read(o), LoadOptions.defaults()));
        assertTrue(e.getMessage().startsWith("create map \"odd_map\" ("), e.getMessage());
        assertTrue(e.getMessage().contains("used by program \"xdp_odd_map\""), e.getMessage());
        assertTrue(e.getMessage().endsWith("has no map type 250"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        libbpfRefuses(o);
    }

    @Test
    void objectForAnotherByteOrderIsRefusedBeforeTheKernel() throws IOException {
        Path o = dir.resolve("be.o");
        Files.writeString(dir.resolve("be.c"), HEADERS + "SEC(\"xdp\") int xdp_be(struct xdp_md *c) { return XDP_PASS; }\n");
        Oracles.run(java.util.List.of("clang", "-O2", "-g", "-target", "bpfeb", "-I/usr/include/x86_64-linux-gnu",
                "-c", dir.resolve("be.c").toString(), "-o", o.toString()));
        LoadException e = assertThrows(LoadException.class, () -> Loader.load(BpfObject.read(o), LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("endianness mismatch"), e.getMessage());
        libbpfRefuses(o);
    }
}
