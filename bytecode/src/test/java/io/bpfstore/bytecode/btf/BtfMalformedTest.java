package io.bpfstore.bytecode.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad BTF and BTF.ext: each fault is a {@link MalformedBtfException} naming the blob and the offending offset. */
class BtfMalformedTest {
    private static final int T = BtfBlob.TYPES_START;

    private static MalformedBtfException expect(String where, long offset, String fragment, Executable parse) {
        MalformedBtfException e = assertThrows(MalformedBtfException.class, parse);
        assertEquals(where, e.where(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        return e;
    }

    private static MalformedBtfException expectBtf(long offset, String fragment, byte[] data) {
        return expect(MalformedBtfException.BTF, offset, fragment, () -> Btf.parse(data));
    }

    /** A valid blob: [1] int, [2] TYPEDEF 'a' -> 1. */
    private static byte[] valid() {
        BtfBlob b = new BtfBlob();
        b.type(b.string("int"), BtfBlob.info(BtfKind.INT, 0, false), 4).u32(1 << 24 | 32);
        b.type(b.string("a"), BtfBlob.info(BtfKind.TYPEDEF, 0, false), 1);
        return b.build();
    }

    private static byte[] withU32(byte[] data, int offset, long value) {
        byte[] copy = data.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, (int) value);
        return copy;
    }

    @Test
    void validBlobParses() {
        assertEquals(2, Btf.parse(valid()).types().size());
    }

    @Test
    void truncatedHeaders() {
        expectBtf(0, "too short", new byte[0]);
        expectBtf(0, "too short", new byte[] {(byte) 0x9f});
        expectBtf(4, "past the end", Arrays.copyOf(valid(), 6));
        expectBtf(4, "exceeds the blob (22 bytes)", Arrays.copyOf(valid(), 22));
        expectBtf(0, "bad magic", withU32(valid(), 0, 0x0001_0000));
    }

    @Test
    void headerFieldsOutOfRange() {
        byte[] v = valid();
        expectBtf(4, "shorter than", withU32(v, 4, 16));
        expectBtf(4, "exceeds the blob", withU32(v, 4, v.length + 1));
        expectBtf(12, "type section", withU32(v, 12, v.length));
        expectBtf(20, "string section", withU32(v, 20, 0xffff_ffffL));
        expectBtf(16, "overlaps", withU32(v, 16, 4));
        expectBtf(8, "aligned", withU32(withU32(v, 8, 2), 12, 12));
        byte[] version = v.clone();
        version[2] = 2;
        expectBtf(2, "version", version);
    }

    @Test
    void stringSectionMustBeNulDelimited() {
        byte[] v = valid();
        int strings = T + 28;
        byte[] noLeadingNul = v.clone();
        noLeadingNul[strings] = 'x';
        expectBtf(strings, "empty string", noLeadingNul);
        byte[] noTrailingNul = v.clone();
        noTrailingNul[v.length - 1] = 'x';
        expectBtf(v.length - 1, "end with NUL", noTrailingNul);
    }

    @Test
    void stringOffsetsOutOfRange() {
        expectBtf(T, "string offset 1000", withU32(valid(), T, 1000));
        BtfBlob b = new BtfBlob();
        b.type(b.string("s"), BtfBlob.info(BtfKind.STRUCT, 1, false), 4);
        int member = b.next();
        b.member(5000, 0, 0);
        expectBtf(member, "string offset 5000", b.build());
    }

    @Test
    void typeIdsOutOfRange() {
        // [2] TYPEDEF points at 7, but only ids 1..2 exist: the fault is the TYPEDEF's type field.
        expectBtf(T + 16 + 8, "type id 7 out of range", withU32(valid(), T + 16 + 8, 7));
        BtfBlob b = new BtfBlob();
        b.type(0, BtfBlob.info(BtfKind.ARRAY, 0, false), 0);
        int index = b.next() + 4;
        b.u32(0).u32(99).u32(4);
        expectBtf(index, "type id 99", b.build());
    }

    @Test
    void typedefCycleIsDetected() {
        BtfBlob b = new BtfBlob();
        b.type(b.string("a"), BtfBlob.info(BtfKind.TYPEDEF, 0, false), 2);
        b.type(0, BtfBlob.info(BtfKind.CONST, 0, false), 3);
        b.type(0, BtfBlob.info(BtfKind.VOLATILE, 0, false), 1);
        expectBtf(T, "[1] TYPEDEF 'a' -> [2] CONST -> [3] VOLATILE -> [1]", b.build());

        BtfBlob self = new BtfBlob();
        self.type(self.string("s"), BtfBlob.info(BtfKind.STRUCT, 1, false), 4);
        self.member(self.string("me"), 1, 0);
        expectBtf(T, "[1] STRUCT 's' -> [1]", self.build());

        BtfBlob array = new BtfBlob();
        array.type(array.string("int"), BtfBlob.info(BtfKind.INT, 0, false), 4).u32(32);
        int arrayAt = array.next();
        array.type(0, BtfBlob.info(BtfKind.ARRAY, 0, false), 0).u32(2).u32(1).u32(3);
        expectBtf(arrayAt, "[2] ARRAY -> [2]", array.build());
    }

    @Test
    void hugeVlenIsRejectedBeforeReading() {
        BtfBlob b = new BtfBlob();
        b.type(b.string("s"), BtfBlob.info(BtfKind.STRUCT, 0xffff, false), 4);
        expectBtf(T + 4, "vlen 65535 needs 786420 bytes", b.build());
        BtfBlob e = new BtfBlob();
        e.type(e.string("e"), BtfBlob.info(BtfKind.ENUM, 3, false), 4).u32(0).u32(1);
        expectBtf(T + 4, "vlen 3 needs 24 bytes", e.build());
    }

    @Test
    void badRecords() {
        BtfBlob kind = new BtfBlob();
        kind.type(0, 25 << 24, 0);
        expectBtf(T + 4, "unknown kind 25", kind.build());
        BtfBlob truncated = new BtfBlob();
        truncated.u32(0).u32(BtfBlob.info(BtfKind.PTR, 0, false));
        expectBtf(T, "truncated", truncated.build());
        BtfBlob wideInt = new BtfBlob();
        wideInt.type(wideInt.string("int"), BtfBlob.info(BtfKind.INT, 0, false), 4).u32(33);
        expectBtf(T + 12, "33 bits", wideInt.build());
        BtfBlob linkage = new BtfBlob();
        linkage.type(0, BtfBlob.info(BtfKind.FUNC_PROTO, 0, false), 0);
        linkage.type(linkage.string("f"), BtfBlob.info(BtfKind.FUNC, 7, false), 1);
        expectBtf(T + 12 + 4, "linkage 7", linkage.build());
    }

    @Test
    void referencesOfTheWrongKind() {
        BtfBlob func = new BtfBlob();
        func.type(func.string("int"), BtfBlob.info(BtfKind.INT, 0, false), 4).u32(32);
        func.type(func.string("f"), BtfBlob.info(BtfKind.FUNC, 1, false), 1);
        expectBtf(T + 16 + 8, "not a FUNC_PROTO", func.build());
        BtfBlob sec = new BtfBlob();
        sec.type(sec.string("int"), BtfBlob.info(BtfKind.INT, 0, false), 4).u32(32);
        sec.type(sec.string(".data"), BtfBlob.info(BtfKind.DATASEC, 1, false), 4).u32(1).u32(0).u32(4);
        expectBtf(T + 16 + 12, "not a VAR or FUNC", sec.build());
        BtfBlob tag = new BtfBlob();
        tag.type(tag.string("s"), BtfBlob.info(BtfKind.STRUCT, 1, false), 4).member(tag.string("m"), 0, 0);
        tag.type(tag.string("t"), BtfBlob.info(BtfKind.DECL_TAG, 0, false), 1).u32(1);
        expectBtf(T + 24 + 12, "component 1", tag.build());
    }

    /** A BTF with [1] FUNC_PROTO, [2] FUNC 'f'; strings "f" at 1, "prog" at 3, "file.c" at 8, the line at 15. */
    private static Btf funcBtf() {
        BtfBlob b = new BtfBlob();
        int f = b.string("f");
        b.string("prog");
        b.string("file.c");
        b.string("int f(void)");
        b.type(0, BtfBlob.info(BtfKind.FUNC_PROTO, 0, false), 0);
        b.type(f, BtfBlob.info(BtfKind.FUNC, 1, false), 1);
        return Btf.parse(b.build());
    }

    /**
     * A .BTF.ext with a 32-byte header, one func_info (section "prog", insn 0, type 2), one line_info and one
     * core_relo. Layout: header 0..31, func_info 32..51, line_info 52..79, core_relo 80..107.
     */
    private static byte[] ext() {
        ByteBuffer b = ByteBuffer.allocate(108).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(32);
        b.putInt(0).putInt(20).putInt(20).putInt(28).putInt(48).putInt(28);
        b.putInt(8).putInt(3).putInt(1).putInt(0).putInt(2);
        b.putInt(16).putInt(3).putInt(1).putInt(0).putInt(8).putInt(15).putInt(7 << 10 | 5);
        b.putInt(16).putInt(3).putInt(1).putInt(0).putInt(2).putInt(0).putInt(8);
        return b.array();
    }

    private static MalformedBtfException expectExt(long offset, String fragment, byte[] data) {
        return expect(MalformedBtfException.BTF_EXT, offset, fragment, () -> BtfExt.parse(data, funcBtf()));
    }

    @Test
    void validExtParses() {
        BtfExt ext = BtfExt.parse(ext(), funcBtf());
        assertEquals("f", ext.funcInfos().get("prog").getFirst().name());
        LineInfo line = ext.lineAt("prog", 5).orElseThrow();
        assertEquals(new LineInfo(0, "file.c", "int f(void)", 7, 5), line);
        assertEquals(CoreRelocationKind.TYPE_EXISTS, ext.coreRelocations().get("prog").getFirst().kind());
        assertTrue(ext.lineAt("other", 0).isEmpty());
    }

    @Test
    void badExt() {
        byte[] v = ext();
        expectExt(0, "bad magic", withU32(v, 0, 0));
        expectExt(4, "past the end", Arrays.copyOf(v, 7));
        expectExt(4, "exceeds the blob (30 bytes)", Arrays.copyOf(v, 30));
        expectExt(4, "shorter than", withU32(v, 4, 20));
        expectExt(12, "func_info", withU32(v, 12, 1000));
        expectExt(32, "record size 3", withU32(v, 32, 3));
        expectExt(40, "claims 1000 records", withU32(v, 40, 1000));
        expectExt(40, "no records", withU32(v, 40, 0));
        expectExt(36, "section name string offset 999", withU32(v, 36, 999));
        expectExt(44, "not a multiple of 8", withU32(v, 44, 4));
        expectExt(48, "type id 9 out of range", withU32(v, 48, 9));
        expectExt(48, "not a FUNC", withU32(v, 48, 1));
        expectExt(68, "file name string offset 4096", withU32(v, 68, 4096));
        expectExt(72, "source line string offset 777", withU32(v, 72, 777));
        expectExt(104, "unknown CO-RE relocation kind 13", withU32(v, 104, 13));
    }
}
