package io.bpfstore.bytecode.helpers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Lookups, prototype reading and the catalog format's error handling. */
class HelperCatalogTest {
    private final HelperCatalog catalog = HelperCatalog.bundled();

    @Test
    void looksUpByIdAndByEitherName() {
        Helper update = catalog.byId(2).orElseThrow();
        assertEquals("bpf_map_update_elem", update.name());
        assertEquals("BPF_FUNC_map_update_elem", update.kernelName());
        assertEquals(Optional.of(update), catalog.byName("bpf_map_update_elem"));
        assertEquals(Optional.of(update), catalog.byName("BPF_FUNC_map_update_elem"));
        assertEquals(Optional.of("3.19"), update.sinceKernel());
        assertEquals(List.of(ArgumentKind.MAP, ArgumentKind.READABLE_MEMORY, ArgumentKind.READABLE_MEMORY,
                ArgumentKind.FLAGS), update.prototype().arguments().stream().map(HelperArgument::kind).toList());
        assertEquals(211, catalog.maxId());
        for (long id : new long[] {0, -1, 212, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertTrue(catalog.byId(id).isEmpty(), "id " + id);
        }
        assertTrue(catalog.byName("bpf_no_such_helper").isEmpty());
        assertEquals(4, catalog.byName("bpf_get_socket_cookie").orElseThrow().prototypes().size());
    }

    @Test
    void readsPrototypes() {
        HelperPrototype lookup = HelperPrototype.parse("void *bpf_map_lookup_elem(struct bpf_map *map, const void *key)");
        assertEquals("void *", lookup.returnType());
        assertEquals(ReturnKind.MEMORY, lookup.returnKind());
        assertEquals(new HelperArgument("const void *", "key", ArgumentKind.READABLE_MEMORY), lookup.arguments().get(1));

        HelperPrototype printk = HelperPrototype.parse("long bpf_trace_printk(const char *fmt, u32 fmt_size, ...)");
        assertEquals(List.of(ArgumentKind.READABLE_MEMORY, ArgumentKind.SIZE, ArgumentKind.VARIADIC),
                printk.arguments().stream().map(HelperArgument::kind).toList());

        HelperPrototype loop = HelperPrototype.parse(
                "long bpf_loop(u32 nr_loops, void *callback_fn, void *callback_ctx, u64 flags)");
        assertEquals(List.of(ArgumentKind.SCALAR, ArgumentKind.CALLBACK, ArgumentKind.CALLBACK_CONTEXT,
                ArgumentKind.FLAGS), loop.arguments().stream().map(HelperArgument::kind).toList());

        HelperPrototype sk = HelperPrototype.parse(
                "struct bpf_sock *bpf_sk_lookup_tcp(void *ctx, struct bpf_sock_tuple *tuple, u32 tuple_size, u64 netns, u64 flags)");
        assertEquals(ReturnKind.KERNEL_OBJECT, sk.returnKind());
        assertEquals("struct bpf_sock *", sk.returnType());
        assertEquals(List.of(ArgumentKind.CONTEXT, ArgumentKind.WRITABLE_MEMORY, ArgumentKind.SIZE,
                ArgumentKind.SCALAR, ArgumentKind.FLAGS), sk.arguments().stream().map(HelperArgument::kind).toList());

        // A length that follows a scalar is not a buffer size.
        HelperPrototype tail = HelperPrototype.parse("long bpf_skb_change_tail(struct sk_buff *skb, u32 len, u64 flags)");
        assertEquals(ArgumentKind.SCALAR, tail.arguments().get(1).kind());
        assertTrue(HelperPrototype.parse("u64 bpf_ktime_get_ns(void)").arguments().isEmpty());
    }

    @Test
    void rejectsWhatIsNotAPrototype() {
        for (String bad : List.of("", "bpf_x()", "long bpf_x(", "long foo(void)", "long bpf_x(struct weird *w, float f)",
                "long bpf_x(u32)", "double bpf_x(void)")) {
            assertThrows(IllegalArgumentException.class, () -> HelperPrototype.parse(bad), bad);
        }
    }

    @Test
    void catalogFormatErrorsNameTheLine() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> HelperCatalog.parse(List.of("# comment", "1\tbpf_map_lookup_elem\t3.19")));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> HelperCatalog.parse(List.of("x\tbpf_a\t\tlong bpf_a(void)")));
        assertThrows(IllegalStateException.class, () -> HelperCatalog.parse(
                List.of("1\tbpf_a\t\tlong bpf_a(void)", "1\tbpf_a\t4.1\tlong bpf_a(u64 flags)")));
        HelperCatalog tiny = HelperCatalog.parse(List.of("7\tbpf_a\t\tlong bpf_a(void)"));
        assertEquals(Optional.empty(), tiny.byId(7).orElseThrow().sinceKernel());
        assertTrue(tiny.byId(1).isEmpty());
    }
}
