package io.bpfstore.bytecode.assembler;

import io.bpfstore.bytecode.asm.InvalidInstructionException;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Text made of the dialects' own tokens in random order: the assemblers and the test-file parser either accept
 * it or throw an {@link AssemblyException} (or, for raw bytes, an {@link InvalidInstructionException}); nothing
 * else escapes.
 */
class GarbageInputTest {
    private static final List<String> TOKENS = List.of(" ", " ", ",", "\n", "%r1", "%r10", "%r16", "r0", "w1", "r11",
            "[", "]", "(", ")", "*", "+", "-", "=", "+=", "s8=", "s32=", "<<=", "s>>=", "<", ">", "<a>", "a:", "<a>:",
            "0x", "0x7fffffff", "0xffffffffffffffff1", "1", "-1", "4294967296", "99999999999999999999", "ll", "u8",
            "u64", "s8", "s64", "skb", "mov", "mov32", "lddw", "ldxw", "stxdw", "stb", "lock", "fetch", "add32",
            "xchg", "cmpxchg", "ja", "ja32", "jeq", "jset32", "call", "local", "helper", "runtime", "callx", "exit",
            "be16", "bswap32", "swap64", "movsx832", "movsx3264", "neg", "if", "goto", "gotol", "may_goto", "assume",
            "&!=", "&==", "&", "map_fd", "map_val", "mva", "map_by_idx", "ld_pseudo", "addr_space_cast",
            "atomic_fetch_add", "xchg_64", "cmpxchg32_32", "#", ";", "-- asm", "-- raw", "-- mem", "-- result",
            "-- error", "ff", "0g", "95 00 00 00 00 00 00 00", "(s8)", "(s99999999999)");

    @Provide
    Arbitrary<String> garbage() {
        Arbitrary<String> line = Arbitraries.of(TOKENS).list().ofMaxSize(8).map(l -> String.join(" ", l));
        return line.list().ofMaxSize(6).map(l -> String.join("\n", l));
    }

    @Property(tries = 1500)
    void onlyTypedErrors(@ForAll("garbage") String text) {
        accept(() -> ConformanceAssembler.assemble("g", text));
        accept(() -> LlvmAssembler.assemble("g", text));
        accept(() -> PrevailAssembler.assemble("g", text));
        accept(() -> ConformanceCase.parse("g", text).program());
        accept(() -> ConformanceCase.parse("g", "-- asm\n" + text).program());
        accept(() -> ConformanceCase.parse("g", "-- raw\n" + text).program());
    }

    private static void accept(Runnable run) {
        try {
            run.run();
        } catch (AssemblyException | InvalidInstructionException expected) {
            // typed errors are what bad input must give
        }
    }
}
