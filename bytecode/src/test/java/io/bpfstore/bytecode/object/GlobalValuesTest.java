package io.bpfstore.bytecode.object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpfstore.testsupport.BpfClang;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values for {@code const volatile} variables are encoded by their BTF type at their symbol's offset: every integer
 * width and sign, bool, char, enums by name, char arrays; and refused, naming variable and type, when they do not fit.
 */
class GlobalValuesTest {
    @TempDir
    Path dir;

    private BpfObject object() throws IOException {
        Path c = dir.resolve("cfg.c");
        Files.writeString(c, """
                #include <linux/types.h>
                #include <stdbool.h>
                #define SEC(n) __attribute__((section(n), used))
                enum mode { MODE_OFF, MODE_LOG = 5, MODE_DROP = 9 };
                const volatile __u8 u8v = 1;
                const volatile __s16 s16v = 2;
                const volatile __u32 u32v = 3;
                const volatile __s64 s64v = 4;
                const volatile __u64 u64v = 5;
                const volatile bool flag = 0;
                const volatile char letter = 'a';
                const volatile enum mode mode = MODE_OFF;
                const volatile char name[6] = "x";
                __u32 counter = 7;
                SEC("socket") int s(void *ctx) { return u8v + s16v + u32v + s64v + u64v + flag + letter + mode
                    + name[0] + counter; }
                char _license[] SEC("license") = "GPL";
                """);
        return BpfObject.read(BpfClang.compile(c, dir.resolve("cfg.o")));
    }

    private static byte[] le(long v, int size) {
        return java.util.Arrays.copyOf(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array(), size);
    }

    @Test
    void encodesEachTypeAtItsSymbol() throws IOException {
        BpfObject o = object();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("u8v", "255");
        values.put("s16v", "-2");
        values.put("u32v", "0xdeadbeef");
        values.put("s64v", "-9223372036854775808");
        values.put("u64v", "18446744073709551615");
        values.put("flag", "true");
        values.put("letter", "z");
        values.put("mode", "MODE_DROP");
        values.put("name", "eth0");
        values.put("counter", "42");
        List<GlobalValues.Patch> patches = GlobalValues.resolve(o, values);
        Map<String, byte[]> expected = Map.of("u8v", le(255, 1), "s16v", le(-2, 2), "u32v", le(0xdeadbeefL, 4),
                "s64v", le(Long.MIN_VALUE, 8), "u64v", le(-1, 8), "flag", new byte[]{1}, "letter", new byte[]{'z'},
                "mode", le(9, 4), "name", new byte[]{'e', 't', 'h', '0', 0, 0}, "counter", le(42, 4));
        int i = 0;
        for (String name : values.keySet()) {
            GlobalValues.Patch p = patches.get(i++);
            long symbol = o.elf().symbols().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().value();
            assertEquals(symbol, p.offset(), name);
            assertEquals(name.equals("counter") ? ".data" : ".rodata", p.section(), name);
            assertArrayEquals(expected.get(name), p.bytes(), name);
        }
    }

    @Test
    void refusesWhatDoesNotFit() throws IOException {
        BpfObject o = object();
        record Case(String name, String value, String message) {
        }
        for (Case c : List.of(
                new Case("u8v", "256", "set global u8v (__u8) to \"256\": out of range 0..255"),
                new Case("s16v", "-32769", "set global s16v (__s16) to \"-32769\": out of range -32768..32767"),
                new Case("u32v", "ten", "set global u32v (__u32) to \"ten\": not a number"),
                new Case("flag", "yes", "set global flag (_Bool) to \"yes\": a bool is true or false"),
                new Case("mode", "MODE_FAST", "set global mode (enum mode) to \"MODE_FAST\": not one of"
                        + " [MODE_OFF, MODE_LOG, MODE_DROP]"),
                new Case("name", "enp0s31f6", "set global name (char[6]) to \"enp0s31f6\": 9 bytes and the"
                        + " terminating zero do not fit in 6"))) {
            GlobalValueException e = assertThrows(GlobalValueException.class,
                    () -> GlobalValues.resolve(o, Map.of(c.name(), c.value())), c.name());
            assertEquals(c.message(), e.getMessage());
            assertEquals(c.name(), e.variable());
        }
    }
}
