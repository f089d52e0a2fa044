package io.bpfstore.bytecode;

import io.bpfstore.bytecode.asm.InstructionCodec;
import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.elf.ElfFile;
import io.bpfstore.bytecode.elf.Section;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.testsupport.ExampleObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the whole reading pipeline (ELF, BTF, BTF.ext, instructions, maps, relocations) with mutations of the
 * real example objects: every input must give a model or a {@link MalformedObjectException}, nothing else.
 *
 * <p>The normal run is bounded by {@code jqwik.tries.default} (src/test/resources/junit-platform.properties); a
 * longer run: {@code mvn -pl bytecode test -Dtest=DecoderFuzzTest -Djqwik.tries.default=200000}.
 */
class DecoderFuzzTest {
    private static final List<byte[]> SEEDS = ExampleObjects.all().stream().map(DecoderFuzzTest::bytes).toList();

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A mutation: which seed, which byte positions get which values, and where to cut. */
    record Mutation(int seed, int[] positions, int[] values, double cut) {
        byte[] apply() {
            byte[] b = SEEDS.get(seed % SEEDS.size()).clone();
            for (int i = 0; i < positions.length; i++) {
                b[Math.floorMod(positions[i], b.length)] = (byte) values[i];
            }
            return cut >= 1.0 ? b : java.util.Arrays.copyOf(b, (int) (b.length * cut));
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<int[]> positions = Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class)
                .ofMinSize(1).ofMaxSize(8);
        Arbitrary<int[]> values = Arbitraries.integers().between(0, 255).array(int[].class).ofSize(8);
        Arbitrary<Double> cut = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, Arbitraries.just(1.0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.doubles().between(0, 1)));
        return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 10_000), positions, values, cut)
                .as((s, p, v, c) -> new Mutation(s, p, java.util.Arrays.copyOf(v, p.length), c));
    }

    @Property
    void objectReaderGivesModelOrTypedError(@ForAll("mutations") Mutation m) {
        byte[] input = m.apply();
        try {
            BpfObject object = BpfObject.parse(input, "fuzz");
            object.programs().forEach(p -> p.helperIds());
        } catch (MalformedObjectException expected) {
            // the only acceptable failure
        }
    }

    @Property
    void btfAndCodeSectionsOfMutatedObjectsGiveTypedErrors(@ForAll("mutations") Mutation m) {
        ElfFile elf;
        try {
            elf = ElfFile.parse(m.apply());
        } catch (MalformedObjectException e) {
            return;
        }
        for (Section s : elf.sections()) {
            try {
                if (s.name().equals(".BTF")) {
                    Btf.parse(s.bytes(), elf.order());
                } else if (s.isExecutable() && s.size() % 8 == 0) {
                    InstructionCodec.decode(s.bytes(), elf.order(), s.name());
                }
            } catch (MalformedObjectException expected) {
                // the only acceptable failure
            }
        }
    }

    @Property
    void randomBytesAreNeverACrash(@ForAll byte[] input) {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            try {
                Btf.parse(input, order);
            } catch (MalformedObjectException expected) {
                // fine
            }
        }
        try {
            ElfFile.parse(input);
        } catch (MalformedObjectException expected) {
            // fine
        }
    }
}
