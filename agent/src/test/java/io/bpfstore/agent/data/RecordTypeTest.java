package io.bpfstore.agent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.testsupport.BpfClang;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which struct a map's records decode as, in an object clang compiles here: the struct a {@code bpfstore.record:}
 * declaration tag names; without a tag, the one struct of the record's size (a perf sample's padded size too); a tag
 * naming a struct the BTF lacks, or no struct of the size, gives hex and one note.
 */
class RecordTypeTest {
    private static final String SOURCE = """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>

            struct sample { __u32 a; __u16 b; __u16 c; };          /* 8 bytes */
            struct wide { __u32 x; __u32 y; __u32 z; };            /* 12 bytes, the only one */
            struct {
            \t__uint(type, BPF_MAP_TYPE_RINGBUF);
            \t__uint(max_entries, 4096);
            } tagged SEC(".maps") __attribute__((btf_decl_tag("bpfstore.record:sample")));
            struct {
            \t__uint(type, BPF_MAP_TYPE_RINGBUF);
            \t__uint(max_entries, 4096);
            } untagged SEC(".maps");
            struct {
            \t__uint(type, BPF_MAP_TYPE_RINGBUF);
            \t__uint(max_entries, 4096);
            } missing SEC(".maps") __attribute__((btf_decl_tag("bpfstore.record:not_here")));

            static __attribute__((noinline)) int use(struct sample *s, struct wide *w) { return s->a + w->x; }

            SEC("xdp")
            int prog(struct xdp_md *ctx)
            {
            \tstruct sample s = { .a = ctx->ingress_ifindex };
            \tstruct wide w = { .x = ctx->rx_queue_index };
            \treturn use(&s, &w) ? XDP_PASS : XDP_DROP;
            }

            char LICENSE[] SEC("license") = "GPL";
            """;
    private static BpfObject object;

    @BeforeAll
    static void compile(@TempDir Path dir) throws IOException {
        Path c = Files.writeString(dir.resolve("records.c"), SOURCE);
        object = BpfObject.read(BpfClang.compile(BpfClang.DEFAULT, c, dir.resolve("records.o"), "-Wall"));
    }

    private static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    @Test
    void theTaggedStructDecodesEvenWhereAnotherHasTheSize() {
        RecordType type = RecordType.of(object, "tagged", false);
        assertEquals(Map.of("a", 7L, "b", 2L, "c", 0L), type.decode(ints(7, 2)));
        assertEquals(Optional.empty(), type.note());
        assertEquals(Optional.of("sample"), RecordType.tagOf(object.btf().orElseThrow(), "tagged"));
    }

    @Test
    void untaggedRecordsTakeTheOneStructOfTheirSize() {
        RecordType ring = RecordType.of(object, "untagged", false);
        assertEquals(Map.of("x", 1L, "y", 2L, "z", 3L), ring.decode(ints(1, 2, 3)));
        // a perf sample of struct wide: u32 size + 12 bytes end 8-aligned, so 12; struct sample (8): padded to 12 too
        RecordType perf = RecordType.of(object, "untagged", true);
        assertTrue(perf.decode(ints(1, 2, 3)) instanceof String, "two structs fit 12 padded bytes: ambiguous, hex");
        assertTrue(perf.note().orElseThrow().contains("no single struct of 12 bytes"));
        assertEquals(Map.of("a", 1L, "b", 2L, "c", 0L), ring.decode(ints(1, 2)), "8 bytes: struct sample, the only one");
        assertEquals(Optional.empty(), ring.note());
    }

    @Test
    void aTagNamingAStructTheBtfLacksGivesHexAndOneNote() {
        RecordType type = RecordType.of(object, "missing", false);
        assertEquals("0x0100000002000000", type.decode(ints(1, 2)));
        assertTrue(type.note().orElseThrow().contains("names struct not_here"), "the note says which");
        type.decode(ints(3, 4));
        assertEquals(Optional.empty(), type.note(), "once");
    }
}
