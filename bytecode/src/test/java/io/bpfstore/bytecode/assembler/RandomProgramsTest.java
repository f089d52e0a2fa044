package io.bpfstore.bytecode.assembler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.asm.InstructionCodec;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Instruction forms the corpora do not use (address-space casts, {@code may_goto}, every pseudo source, packet
 * loads, every atomic in both widths, extreme immediates and offsets): random programs round-trip through
 * {@link LlvmPrinter} and {@link LlvmAssembler}, and llvm-mc-19 assembles the printed text to the same bytes.
 */
class RandomProgramsTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void printedProgramsAssembleToThemselves(long seed) {
        List<Instruction> program = new RandomPrograms(seed, false).program(2_000);
        List<String> lines = LlvmPrinter.print(program, "");
        List<Instruction> again = LlvmAssembler.assemble("seed " + seed, String.join("\n", lines));
        for (int i = 0; i < Math.min(program.size(), again.size()); i++) {
            assertEquals(program.get(i), again.get(i), "seed " + seed + ", instruction " + i);
        }
        assertEquals(program.size(), again.size());
    }

    @Test
    void llvmMcAssemblesThePrintedTextToTheSameBytes() {
        List<List<Instruction>> programs = new ArrayList<>();
        StringBuilder source = new StringBuilder("\t.text\n");
        for (int seed = 0; seed < 8; seed++) {
            List<Instruction> program = new RandomPrograms(seed, true).program(1_000);
            programs.add(program);
            source.append(Oracle.symbol(seed)).append(":\n");
            LlvmPrinter.print(program, Oracle.symbol(seed) + "_").forEach(l -> source.append(l).append('\n'));
        }
        ConformanceCorpusTest.assertBytes(Oracle.llvmMc(source.toString()),
                programs.stream().map(p -> InstructionCodec.encode(p, ByteOrder.LITTLE_ENDIAN)).toList(),
                programs.stream().map(p -> "random program " + programs.indexOf(p)).toList());
    }
}
