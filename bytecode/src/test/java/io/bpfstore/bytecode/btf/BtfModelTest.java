package io.bpfstore.bytecode.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lookups, resolution and sizes on the purpose-written test program, whose C source fixes the expected answers
 * (sizes follow from the C declarations in {@code btf_kinds.c}, not from any tool's output).
 */
class BtfModelTest {
    private static Btf btf(String compiler) {
        return Btf.parse(Tool.section(TestObjects.compiled("btf_kinds", compiler), ".BTF"));
    }

    @Test
    void looksUpByNameAndKind() {
        Btf btf = btf("clang-19");
        BtfType.Struct everything = btf.find("everything", BtfType.Struct.class).orElseThrow();
        assertEquals(13, everything.members().size());
        assertEquals(everything, btf.find("everything", BtfKind.STRUCT).orElseThrow());
        assertEquals(everything, btf.type(everything.id()));
        assertTrue(btf.find("everything", BtfKind.UNION).isEmpty());
        assertTrue(btf.find("no_such_type", BtfKind.STRUCT).isEmpty());
        assertEquals(BtfType.Void.INSTANCE, btf.type(0));
        assertThrows(IllegalArgumentException.class, () -> btf.type(btf.typeCount()));
        assertThrows(IllegalArgumentException.class, () -> btf.type(-1));
    }

    @Test
    void resolvesThroughTypedefsAndQualifiers() {
        Btf btf = btf("clang-19");
        BtfType.Typedef cv = btf.find("cv_ulong", BtfType.Typedef.class).orElseThrow();
        BtfType.Int target = assertInstanceOf(BtfType.Int.class, btf.resolve(cv.id()));
        assertEquals("unsigned long", target.name());
        BtfType.Struct everything = btf.find("everything", BtfType.Struct.class).orElseThrow();
        BtfType.Member userPtr = member(everything, "user_ptr");
        BtfType.Ptr ptr = assertInstanceOf(BtfType.Ptr.class, btf.type(userPtr.type()));
        assertInstanceOf(BtfType.TypeTag.class, btf.type(ptr.type()));
        assertEquals("int", btf.resolve(ptr.type()).name());
    }

    @Test
    void sizesFollowTheCDeclarations() {
        for (String compiler : TestObjects.COMPILERS) {
            Btf btf = btf(compiler);
            BtfType.Struct everything = btf.find("everything", BtfType.Struct.class).orElseThrow();
            assertEquals(128, btf.sizeof(everything.id()));
            assertEquals(8, btf.sizeof(btf.find("cv_ulong", BtfKind.TYPEDEF).orElseThrow().id()));
            assertEquals(8, btf.sizeof(btf.find("callback_t", BtfKind.TYPEDEF).orElseThrow().id()));
            assertEquals(3 * 4 * 4, btf.sizeof(member(everything, "matrix").type()), "int[3][4]");
            assertEquals(0, btf.sizeof(member(everything, "pad").type()), "long[0]");
            assertEquals(4, btf.sizeof(btf.find("config_rodata", BtfKind.VAR).orElseThrow().id()));
            int func = btf.find("subprog", BtfKind.FUNC).orElseThrow().id();
            assertThrows(IllegalArgumentException.class, () -> btf.sizeof(func));
            assertThrows(IllegalArgumentException.class, () -> btf.sizeof(0));
        }
    }

    @Test
    void decodesBitfieldsEnumsAndTags() {
        Btf btf = btf("clang-19");
        BtfType.Struct flags = btf.find("flags", BtfType.Struct.class).orElseThrow();
        assertTrue(flags.bitfieldEncoding());
        assertEquals(new BtfType.Member("c", btf.find("int", BtfKind.INT).orElseThrow().id(), 8, 7),
                member(flags, "c"));
        BtfType.Enum64 wide = btf.find("wide", BtfType.Enum64.class).orElseThrow();
        assertEquals(List.of(1L, 0x123456789L, -1L), wide.values().stream().map(BtfType.EnumValue::value).toList());
        BtfType.Enum64 wideSigned = btf.find("wide_signed", BtfType.Enum64.class).orElseThrow();
        assertEquals(-0x100000000L, wideSigned.values().getFirst().value());
        assertEquals(-1L, btf.find("delta", BtfType.Enum.class).orElseThrow().values().getFirst().value());
        assertEquals(0x7fffffffL, btf.find("colour", BtfType.Enum.class).orElseThrow().values().get(2).value());
        BtfType.DeclTag param = btf.find("param_tag", BtfType.DeclTag.class).orElseThrow();
        assertEquals(0, param.componentIndex());
        assertEquals("subprog", btf.type(param.type()).name());
        assertEquals(-1, btf.find("func_tag", BtfType.DeclTag.class).orElseThrow().componentIndex());
        assertEquals(Linkage.EXTERN, btf.find("bpf_fake_kfunc", BtfType.Func.class).orElseThrow().linkage());
        assertEquals(Linkage.STATIC, btf.find("subprog", BtfType.Func.class).orElseThrow().linkage());
        assertEquals(Linkage.EXTERN, btf.find("LINUX_KERNEL_VERSION", BtfType.Var.class).orElseThrow().linkage());
        BtfType.Datasec data = btf.find(".data", BtfType.Datasec.class).orElseThrow();
        assertEquals("counter_data", btf.type(data.vars().getFirst().type()).name());
    }

    /** The test program compiled big-endian parses to the same model as little-endian. */
    @Test
    void bigEndianObjectHasTheSameTypes() {
        Btf little = btf("clang-19");
        Btf big = Btf.parse(Tool.section(TestObjects.compiled("btf_kinds", "clang-19-bpfeb"), ".BTF"));
        assertEquals(ByteOrder.BIG_ENDIAN, big.order());
        assertEquals(ByteOrder.LITTLE_ENDIAN, little.order());
        assertEquals(little.types(), big.types());
    }

    /** The same types written big-endian parse to the same model and the same dump. */
    @Test
    void readsBothByteOrders() {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            BtfBlob blob = new BtfBlob().order(order);
            blob.type(blob.string("int"), BtfBlob.info(BtfKind.INT, 0, false), 4).u32(1 << 24 | 32);
            blob.type(blob.string("pair"), BtfBlob.info(BtfKind.STRUCT, 2, true), 8);
            blob.member(blob.string("x"), 1, 0).member(blob.string("y"), 1, 3L << 24 | 32);
            byte[] bytes = blob.build();
            Btf btf = Btf.parse(bytes);
            assertEquals(order, btf.order());
            assertEquals("""
                    [1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED
                    [2] STRUCT 'pair' size=8 vlen=2
                    \t'x' type_id=1 bits_offset=0
                    \t'y' type_id=1 bits_offset=32 bitfield_size=3
                    """, BtfDump.toString(btf));
            ByteOrder other = order == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            MalformedBtfException e = assertThrows(MalformedBtfException.class, () -> Btf.parse(bytes, other));
            assertEquals(0, e.offset());
        }
    }

    /** A linked list node points at itself through a PTR: legal, and resolution stops at the struct. */
    @Test
    void cyclesThroughPointersAreLegal() {
        BtfBlob blob = new BtfBlob();
        blob.type(blob.string("node"), BtfBlob.info(BtfKind.STRUCT, 1, false), 8);
        blob.member(blob.string("next"), 2, 0);
        blob.type(0, BtfBlob.info(BtfKind.PTR, 0, false), 1);
        Btf btf = Btf.parse(blob.build());
        assertEquals(8, btf.sizeof(1));
        assertEquals("node", btf.resolve(1).name());
    }

    /** Cycle checks, resolve and sizeof are iterative: a chain deeper than any call stack still works. */
    @Test
    void deepChainsDoNotOverflowTheStack() {
        int depth = 200_000;
        BtfBlob blob = new BtfBlob();
        blob.type(blob.string("int"), BtfBlob.info(BtfKind.INT, 0, false), 4).u32(32);
        int name = blob.string("t");
        for (int id = 2; id <= depth; id++) {
            blob.type(id % 2 == 0 ? name : 0, BtfBlob.info(id % 2 == 0 ? BtfKind.TYPEDEF : BtfKind.CONST, 0, false),
                    id - 1);
        }
        Btf btf = Btf.parse(blob.build());
        assertEquals("int", btf.resolve(depth).name());
        assertEquals(4, btf.sizeof(depth));
    }

    private static BtfType.Member member(BtfType.Composite c, String name) {
        return c.members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }
}
