package io.bpfstore.bytecode.assembler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpfstore.bytecode.asm.AddrSpaceCast;
import io.bpfstore.bytecode.asm.InvalidInstructionException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The suite's malformed inputs ({@code bpf_conformance/negative/}). Each file is meant to make one part of a
 * conformance runner fail; every file must be classified here, so a new one in the corpus fails this test until
 * someone decides what it tests.
 */
@ExtendWith(Corpus.Required.class)
class ConformanceNegativeTest {
    /** What a negative file is meant to make fail. */
    enum Expect {
        /** The test file itself is malformed: {@link ConformanceCase#parse} throws. */
        FILE_FORMAT,
        /** The assembly is wrong: {@link ConformanceCase#program} throws an {@link AssemblyException}. */
        ASSEMBLER,
        /** The raw bytes break the encoding rules: decoding throws an {@link InvalidInstructionException}. */
        DECODER,
        /**
         * The file and program are valid; what it tests is the runner (a wrong expected result or an expected
         * error the program does not produce). Here it must assemble.
         */
        RUNNER,
        /**
         * Invalid under RFC 9669 but a valid encoding of an extension this project's decoder follows LLVM 19 in
         * accepting: {@code bf 00 01 00 00 00 00 00} (a 64-bit register move with offset 1) is LLVM's
         * {@code addr_space_cast} (BPF arena, kernel 6.9). The decoder reads it as such; whether to reject the
         * immediates the kernel refuses (anything but 1 and 0x10000) is the instruction model's decision.
         */
        EXTENSION
    }

    private static final Map<String, Expect> EXPECTED = Map.ofEntries(
            Map.entry("empty.data", Expect.FILE_FORMAT),
            Map.entry("empty_instructions.data", Expect.FILE_FORMAT),
            Map.entry("invalid_unknown_directive.data", Expect.FILE_FORMAT),
            Map.entry("error.data", Expect.RUNNER),
            Map.entry("incorrect_return_value_high_bits.data", Expect.RUNNER),
            Map.entry("invalid_imm32_dec_range.data", Expect.ASSEMBLER),
            Map.entry("invalid_imm32_hex_range.data", Expect.ASSEMBLER),
            Map.entry("invalid_label.data", Expect.ASSEMBLER),
            Map.entry("invalid_lock.data", Expect.ASSEMBLER),
            Map.entry("invalid_lock2.data", Expect.ASSEMBLER),
            Map.entry("invalid_mnemonic.data", Expect.ASSEMBLER),
            Map.entry("invalid_offset.data", Expect.ASSEMBLER),
            Map.entry("invalid_offset_range.data", Expect.ASSEMBLER),
            Map.entry("invalid_operand_count.data", Expect.ASSEMBLER),
            Map.entry("invalid_register.data", Expect.ASSEMBLER));

    /** The files' own expectations where they state one, and the fault we report. */
    private static final Map<String, String> MESSAGES = Map.ofEntries(
            Map.entry("invalid_imm32_dec_range.data", "line 5, column 12: immediate 2147483648 does not fit 32 bits"),
            Map.entry("invalid_imm32_hex_range.data", "line 5, column 12: immediate 4294967296 does not fit 32 bits"),
            Map.entry("invalid_label.data", "line 4, column 4: undefined label 'NOT_A_LABEL'"),
            Map.entry("invalid_lock.data", "line 4, column 17: invalid number of operands for lock or"),
            Map.entry("invalid_lock2.data", "line 4, column 5: invalid number of operands for lock"),
            Map.entry("invalid_mnemonic.data", "line 5, column 1: invalid mnemonic 'ldxq'"),
            Map.entry("invalid_offset.data", "line 4, column 11: expected a memory operand"),
            Map.entry("invalid_offset_range.data", "line 5, column 16: memory offset 65536 does not fit"),
            Map.entry("invalid_operand_count.data", "line 4, column 9: invalid number of operands for lddw"),
            Map.entry("invalid_register.data", "line 4, column 9: invalid register '%r50'"),
            Map.entry("invalid_unknown_directive.data", "line 4, column 4: unknown section 'Unknown directive'"),
            Map.entry("empty.data", "no program"),
            Map.entry("empty_instructions.data", "no program"));

    private static Expect expected(String name) {
        if (name.equals("unused-mov64_reg-offset.data")) {
            return Expect.EXTENSION;
        }
        return name.startsWith("unused-") ? Expect.DECODER : EXPECTED.get(name);
    }

    @Test
    void everyNegativeFileFailsWhereItIsMeantTo() {
        List<Path> files = Corpus.files("bpf_conformance/negative", ".data");
        Map<Expect, Integer> counts = new TreeMap<>();
        List<String> unclassified = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            String text = Corpus.read(file);
            Expect expect = expected(name);
            if (expect == null) {
                unclassified.add(name);
                continue;
            }
            counts.merge(expect, 1, Integer::sum);
            switch (expect) {
                case FILE_FORMAT -> {
                    AssemblyException e = assertThrows(AssemblyException.class, () -> ConformanceCase.parse(name, text),
                            name);
                    assertEquals(name, e.where());
                    assertMessage(name, e);
                }
                case ASSEMBLER -> {
                    ConformanceCase test = ConformanceCase.parse(name, text);
                    AssemblyException e = assertThrows(AssemblyException.class, test::program, name);
                    assertEquals(name, e.where());
                    assertMessage(name, e);
                }
                case DECODER -> {
                    ConformanceCase test = ConformanceCase.parse(name, text);
                    assertTrue(test.asm().isEmpty() && test.raw().isPresent(), name + " should hold raw bytes only");
                    assertTrue(test.expectedError().isPresent(), name + " should expect an error");
                    InvalidInstructionException e = assertThrows(InvalidInstructionException.class, test::program,
                            name);
                    assertEquals(0, e.slot(), name + ": the first instruction is the malformed one");
                }
                case EXTENSION -> {
                    ConformanceCase test = ConformanceCase.parse(name, text);
                    assertInstanceOf(AddrSpaceCast.class, test.program().getFirst(), name);
                }
                case RUNNER -> {
                    ConformanceCase test = ConformanceCase.parse(name, text);
                    assertFalse(test.program().isEmpty(), name);
                    assertTrue(test.result().isPresent() || test.expectedError().isPresent(), name);
                }
            }
        }
        if (!unclassified.isEmpty()) {
            fail("negative files nobody has classified: " + unclassified);
        }
        assertEquals(files.size(), counts.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(counts.getOrDefault(Expect.DECODER, 0) > 40, "decoder cases: " + counts);
    }

    private static void assertMessage(String name, AssemblyException e) {
        String expected = MESSAGES.get(name);
        if (expected != null && !e.getMessage().contains(expected)) {
            fail(name + ": expected a message containing \"" + expected + "\" but got \"" + e.getMessage() + "\"");
        }
    }
}
