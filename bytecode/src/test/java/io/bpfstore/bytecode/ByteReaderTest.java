package io.bpfstore.bytecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ByteReaderTest {
    private static final byte[] BYTES = {1, 2, 3, 4, 5, 6, 7, 8, 'h', 'i', 0, 'x'};

    @Test
    void readsBothByteOrders() {
        assertEquals(0x0201, ByteReader.of(BYTES, ByteOrder.LITTLE_ENDIAN, "t").u16(0));
        assertEquals(0x0102, ByteReader.of(BYTES, ByteOrder.BIG_ENDIAN, "t").u16(0));
        assertEquals(0x04030201L, ByteReader.of(BYTES, ByteOrder.LITTLE_ENDIAN, "t").u32(0));
        assertEquals(0x0102030405060708L, ByteReader.of(BYTES, ByteOrder.BIG_ENDIAN, "t").s64(0));
    }

    @Test
    void readsStrings() {
        assertEquals("hi", ByteReader.of(BYTES, ByteOrder.LITTLE_ENDIAN, "t").cString(8));
    }

    @Test
    void namesSliceAndOffsetOnOverrun() {
        ByteReader r = ByteReader.of(BYTES, ByteOrder.LITTLE_ENDIAN, "file").slice(8, 4, ".strtab");
        MalformedObjectException e = assertThrows(MalformedObjectException.class, () -> r.cString(3));
        assertEquals(".strtab", e.where());
        assertEquals(3, e.offset());
        assertThrows(MalformedObjectException.class, () -> r.u32(1));
        assertThrows(MalformedObjectException.class, () -> r.slice(2, 3, "x"));
        assertThrows(MalformedObjectException.class, () -> r.u8(-1));
    }
}
