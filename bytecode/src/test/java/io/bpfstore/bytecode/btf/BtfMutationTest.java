package io.bpfstore.bytecode.btf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Random mutations of real {@code .BTF} and {@code .BTF.ext} blobs (the test program compiled with clang 19) either
 * parse into a model that can be dumped and walked, or fail with {@link MalformedBtfException}; any other
 * exception fails the property.
 */
class BtfMutationTest {
    private static byte[] btf;
    private static byte[] ext;

    private static synchronized byte[] btf() {
        if (btf == null) {
            btf = Tool.section(TestObjects.compiled("btf_kinds", "clang-19"), ".BTF");
        }
        return btf;
    }

    private static synchronized byte[] ext() {
        if (ext == null) {
            ext = Tool.section(TestObjects.compiled("btf_kinds", "clang-19"), ".BTF.ext");
        }
        return ext;
    }

    @Property(tries = 1500)
    void mutatedBtfParsesOrFailsTyped(@ForAll("mutatedBtf") byte[] data) {
        Btf parsed;
        try {
            parsed = Btf.parse(data);
        } catch (MalformedBtfException expected) {
            Statistics.collect("rejected");
            return;
        }
        Statistics.collect("parsed");
        BtfDump.write(parsed, new StringBuilder());
        for (int id = 0; id < parsed.typeCount(); id++) {
            parsed.resolve(id);
            try {
                parsed.sizeof(id);
            } catch (IllegalArgumentException sizeless) {
                // void, functions and forward declarations have no size
            }
        }
    }

    @Property(tries = 1500)
    void mutatedBtfExtParsesOrFailsTyped(@ForAll("mutatedExt") byte[] data) {
        Btf types = Btf.parse(btf());
        BtfExt parsed;
        try {
            parsed = BtfExt.parse(data, types);
        } catch (MalformedBtfException expected) {
            Statistics.collect("rejected");
            return;
        }
        Statistics.collect("parsed");
        for (String section : parsed.lineInfos().keySet()) {
            for (long insn = 0; insn < 64; insn++) {
                parsed.lineAt(section, insn);
            }
        }
    }

    @Provide
    Arbitrary<byte[]> mutatedBtf() {
        return mutated(btf());
    }

    @Provide
    Arbitrary<byte[]> mutatedExt() {
        return mutated(ext());
    }

    /** Edits: {kind, position, value} with kind 0 = set a byte, 1 = set an aligned 32-bit word, 2 = truncate. */
    private static Arbitrary<byte[]> mutated(byte[] original) {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, original.length - 1);
        Arbitrary<int[]> setByte = Combinators.combine(position, Arbitraries.integers().between(0, 255))
                .as((p, v) -> new int[] {0, p, v});
        Arbitrary<int[]> setWord = Combinators.combine(position, Arbitraries.of(0, 1, 2, 3, 7, 8, 12, 24, 0xff,
                        0xffff, 0x1_0000, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0x0d00_0002, 0x8400_0003))
                .as((p, v) -> new int[] {1, p, v});
        Arbitrary<int[]> truncate = position.map(p -> new int[] {2, p, 0});
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(4, setByte), net.jqwik.api.Tuple.of(4, setWord),
                        net.jqwik.api.Tuple.of(1, truncate))
                .list().ofMinSize(1).ofMaxSize(6)
                .map(edits -> apply(original, edits));
    }

    private static byte[] apply(byte[] original, List<int[]> edits) {
        byte[] data = original.clone();
        for (int[] edit : edits) {
            int p = edit[1];
            switch (edit[0]) {
                case 0 -> {
                    if (p < data.length) {
                        data[p] = (byte) edit[2];
                    }
                }
                case 1 -> {
                    int aligned = p & ~3;
                    if (aligned + 4 <= data.length) {
                        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putInt(aligned, edit[2]);
                    }
                }
                default -> data = Arrays.copyOf(data, Math.min(p, data.length));
            }
        }
        return data;
    }
}
