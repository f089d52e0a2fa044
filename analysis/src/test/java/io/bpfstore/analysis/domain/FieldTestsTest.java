package io.bpfstore.analysis.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.bpfstore.bytecode.asm.JumpCondition;
import org.junit.jupiter.api.Test;

/** Comparisons of packet-derived values become tests of packet bytes in network order, whatever the load order. */
class FieldTestsTest {
    private static Atom.FieldTest test(Lanes lanes, long mask, JumpCondition c, long k) {
        return assertInstanceOf(FieldTests.Result.Test.class, FieldTests.of(lanes, mask, c, k, 8)).atom();
    }

    @Test
    void littleEndianLoadComparedWithHtonsIsTheEthertype() {
        // *(u16 *)(data + 12) == 0x0008 on a little-endian target: bytes 08 00, IPv4
        assertEquals(new Atom.FieldTest(12, 2, 0xffff, JumpCondition.EQ, 0x0800, true),
                test(Lanes.load(12, 2, true), -1L, JumpCondition.EQ, 0x0008));
    }

    @Test
    void shiftOrAssemblyAndByteSwapAgree() {
        // (b[13] << 8) | b[12], as clang builds it from two byte loads, compared with 0xa888 (htons(0x88a8))
        Lanes assembled = Lanes.load(13, 1, true).shiftUp(1).or(Lanes.load(12, 1, true));
        assertEquals(new Atom.FieldTest(12, 2, 0xffff, JumpCondition.EQ, 0x88a8, true),
                test(assembled, -1L, JumpCondition.EQ, 0xa888));
        // bpf_ntohs(tcp->dest) > 1023: a big-endian number, so the order test is on the port itself
        Lanes port = Lanes.load(36, 2, true).swap(2);
        assertEquals(new Atom.FieldTest(36, 2, 0xffff, JumpCondition.GT, 1023, true),
                test(port, -1L, JumpCondition.GT, 1023));
    }

    @Test
    void orderOnALittleEndianLoadIsNotAFieldOrder() {
        assertInstanceOf(FieldTests.Result.Opaque.class, FieldTests.of(Lanes.load(36, 2, true), -1L,
                JumpCondition.GT, 1023, 8));
    }

    @Test
    void constantBytesDecideEqualities() {
        // a 1-byte load has zero upper bytes: it can never equal 0x100
        assertInstanceOf(FieldTests.Result.Never.class, FieldTests.of(Lanes.load(23, 1, true), -1L,
                JumpCondition.EQ, 0x106, 8));
        assertInstanceOf(FieldTests.Result.Always.class, FieldTests.of(Lanes.load(23, 1, true), -1L,
                JumpCondition.NE, 0x106, 8));
    }

    @Test
    void headerLengthNibbleShiftedToBytes() {
        // (b[14] << 2) & 0x3c < 20  <=>  (b[14] & 0x0f) < 5
        Lanes ihl = Lanes.load(14, 1, true).withBitShift(2).and(0x3c >>> 2);
        long mask = 0x0fL | ~ihl.nonZeroMask();
        assertEquals(new Atom.FieldTest(14, 1, 0x0f, JumpCondition.LT, 5, true),
                test(ihl, mask, JumpCondition.LT, 20));
        assertEquals(new Atom.FieldTest(14, 1, 0x0f, JumpCondition.GE, 5, true),
                test(ihl, mask, JumpCondition.GE, 20));
        assertEquals(new Atom.FieldTest(14, 1, 0x0f, JumpCondition.LT, 6, true),
                test(ihl, mask, JumpCondition.LT, 21));
    }

    @Test
    void equalitiesOfOneFieldUniteIntoASet() {
        Atom a = new Atom.FieldTest(20, 1, 0xff, JumpCondition.EQ, 0, true);
        Atom b = new Atom.FieldTest(20, 1, 0xff, JumpCondition.EQ, 43, true);
        assertEquals(new Atom.FieldIn(20, 1, 0xff, new java.util.TreeSet<>(java.util.List.of(0L, 43L)), true),
                FieldTests.unite(a, b).orElseThrow());
        assertEquals(FieldTests.Relation.CONTRADICTS, FieldTests.relation(a, b));
        assertEquals(FieldTests.Relation.IMPLIED, FieldTests.relation(a,
                new Atom.FieldTest(20, 1, 0xff, JumpCondition.NE, 43, true)));
    }
}
