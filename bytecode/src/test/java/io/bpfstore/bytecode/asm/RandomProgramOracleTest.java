package io.bpfstore.bytecode.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random valid instructions (every record, edge-biased immediates and offsets), written as raw bytes into an
 * object by llvm-mc-19 and disassembled by llvm-objdump-19: our listing must match it line by line, for both byte
 * orders and both dialects. One batch per run keeps the process count low; the sample differs each run.
 */
class RandomProgramOracleTest {
    private static final int INSTRUCTIONS = 3000;

    @TempDir
    Path work;

    @Test
    void littleEndian() throws IOException {
        check(ByteOrder.LITTLE_ENDIAN, "bpfel");
    }

    @Test
    void bigEndian() throws IOException {
        check(ByteOrder.BIG_ENDIAN, "bpfeb");
    }

    private void check(ByteOrder order, String triple) throws IOException {
        List<Instruction> program = InstructionArbitraries.instructions().sampleStream().limit(INSTRUCTIONS)
                .toList();
        byte[] code = InstructionCodec.encode(program, order);
        StringBuilder source = new StringBuilder("\t.text\n");
        for (int at = 0; at < code.length; at += InstructionCodec.SLOT_SIZE) {
            source.append("\t.byte ");
            for (int i = 0; i < InstructionCodec.SLOT_SIZE; i++) {
                source.append(i == 0 ? "" : ", ").append(code[at + i] & 0xff);
            }
            source.append('\n');
        }
        Path asm = Files.writeString(work.resolve("random.s"), source);
        Path object = work.resolve("random.o");
        ExternalTool.output("llvm-mc-19", "-triple", triple, "-filetype=obj", asm.toString(), "-o", object.toString());
        for (Disassembler.Dialect dialect : Disassembler.Dialect.values()) {
            List<String> args = new ArrayList<>(List.of("llvm-objdump-19", "-d"));
            if (dialect == Disassembler.Dialect.ALU32) {
                args.add("--mcpu=v4");
            }
            args.add(object.toString());
            Map<String, List<String>> expected = ObjdumpOracleTest.sections(ExternalTool.output(args));
            List<String> actual = new Disassembler(dialect).listing(".text", code, order, List.of());
            assertEquals(String.join("\n", expected.get(".text")), String.join("\n", actual),
                    triple + " " + dialect);
        }
    }
}
