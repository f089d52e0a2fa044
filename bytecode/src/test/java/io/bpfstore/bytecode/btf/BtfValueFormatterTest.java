package io.bpfstore.bytecode.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.testsupport.BpfClang;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoding against the compiler as the oracle: clang lays out an initialised global of a struct with bitfields,
 * signed and unsigned integers, an enum, a char array, a nested union, a bool and a 128-bit integer into
 * {@code .data}, and the decoder must give back the values of the C initialiser from those bytes and the BTF.
 * (Map values against bpftool's formatted dump: the agent module's InstallationDataTest.)
 */
class BtfValueFormatterTest {
    @TempDir
    Path work;

    @Test
    void decodesWhatTheCInitializerWrote() throws Exception {
        Path source = work.resolve("values.c");
        Files.writeString(source, """
                #include <linux/types.h>
                enum color { RED = 1, GREEN = 2, BLUE = 7 };
                struct inner { __u16 port; __s8 delta; };
                struct sample {
                    __s32 negative;
                    __u64 big;
                    unsigned int low : 3, mid : 9, high : 20;
                    int sbits : 5;
                    enum color color;
                    enum color unnamed;
                    char name[8];
                    char bytes[4];
                    union { __u32 word; __u8 octets[4]; } u;
                    struct inner pair[2];
                    _Bool flag;
                    unsigned __int128 wide;
                };
                struct sample sample = {
                    .negative = -42, .big = 18446744073709551615ULL, .low = 5, .mid = 300, .high = 1000000,
                    .sbits = -7, .color = BLUE, .unnamed = 5, .name = "bpf", .bytes = {1, 2, 3, 4},
                    .u = { .word = 0x01020304 }, .pair = {{80, -1}, {443, 2}}, .flag = 1,
                    .wide = ((unsigned __int128)1 << 100) + 3,
                };
                char LICENSE[] __attribute__((section("license"))) = "GPL";
                """);
        Path object = BpfClang.compile(source, work.resolve("values.o"));
        BpfObject obj = BpfObject.read(object);
        Btf btf = obj.btf().orElseThrow();
        BtfType.Datasec data = btf.find(".data", BtfType.Datasec.class).orElseThrow();
        byte[] bytes = obj.elf().section(".data").orElseThrow().bytes();

        @SuppressWarnings("unchecked")
        Map<String, Object> all = (Map<String, Object>) new BtfValueFormatter(btf).decode(data.id(), bytes, 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) all.get("sample");
        assertEquals(-42L, s.get("negative"));
        assertEquals(new BigInteger("18446744073709551615"), s.get("big"));
        assertEquals(5L, s.get("low"));
        assertEquals(300L, s.get("mid"));
        assertEquals(1000000L, s.get("high"));
        assertEquals(-7L, s.get("sbits"));
        assertEquals("BLUE", s.get("color"));
        assertEquals(5L, s.get("unnamed"), "no enumerator: the number");
        assertEquals("bpf", s.get("name"));
        assertEquals(List.of(1L, 2L, 3L, 4L), s.get("bytes"), "not a printable string: the numbers");
        assertEquals(Map.of("word", 0x01020304L, "octets", List.of(4L, 3L, 2L, 1L)), s.get("u"));
        assertEquals(List.of(Map.of("port", 80L, "delta", -1L), Map.of("port", 443L, "delta", 2L)), s.get("pair"));
        assertEquals(true, s.get("flag"));
        assertEquals(BigInteger.ONE.shiftLeft(100).add(BigInteger.valueOf(3)), s.get("wide"));
    }
}
