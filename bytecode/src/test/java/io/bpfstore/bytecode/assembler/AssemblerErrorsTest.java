package io.bpfstore.bytecode.assembler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.bytecode.asm.AluImm;
import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.asm.LoadImm64;
import io.bpfstore.bytecode.asm.Register;

import java.util.List;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of bad input gives an {@link AssemblyException} naming source, line, column and the fault. */
class AssemblerErrorsTest {
    private static void assertFault(BiFunction<String, String, List<Instruction>> assembler, String text, int line,
                                    int column, String problem) {
        AssemblyException e = assertThrows(AssemblyException.class, () -> assembler.apply("prog.s", text), text);
        assertEquals("prog.s", e.where());
        assertEquals(MalformedObjectException.NO_OFFSET, e.offset());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), "expected \"" + problem + "\" in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("prog.s: line " + line + ", column " + column + ": "), e.getMessage());
        assertTrue(e.problem().contains(problem), e.problem());
        assertTrue(e.getMessage().endsWith(e.problem()), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            exit\\nfoo %r0, 1                 | 2 | 1  | invalid mnemonic 'foo'
            mov %r11, 1                       | 1 | 5  | invalid register '%r11'
            mov r1, 1                         | 1 | 5  | expected a register (%r0 to %r10)
            mov32 %r0, 2147483648             | 1 | 12 | does not fit 32 bits
            mov32 %r0, -2147483649            | 1 | 12 | does not fit 32 bits
            mov32 %r0, 0x100000000            | 1 | 12 | does not fit 32 bits
            lddw %r0, 0x10000000000000000     | 1 | 11 | does not fit 64 bits
            ldxw %r0, [%r1+32768]             | 1 | 16 | memory offset 32768 does not fit
            stxw [%r1-32769], %r0             | 1 | 11 | memory offset -32769 does not fit
            ja nowhere\\nexit                 | 1 | 4  | undefined label 'nowhere'
            a:\\nexit\\na:\\nexit             | 3 | 1  | duplicate label 'a'
            ja +5\\nexit                      | 1 | 4  | outside the program
            jeq %r0, 1, +0x8000\\nexit        | 1 | 13 | does not fit the 16-bit offset field
            lock\\nexit                       | 1 | 5  | invalid number of operands for lock
            lock fetch xchg [%r1], %r2        | 1 | 12 | 'fetch' is implied by xchg
            lock nand [%r1], %r2              | 1 | 6  | invalid atomic operation 'nand'
            call local\\nexit                 | 1 | 11 | expected a jump target
            call magic 1                      | 1 | 6  | invalid call mode 'magic'
            movsx3232 %r0, %r1                | 1 | 1  | invalid mnemonic 'movsx3232'
            add %r0, 1 2                      | 1 | 12 | unexpected '2'
            ldxdw %r0, [%r1+8                 | 1 | 18 | expected ']'
            mov %r0, 0x                       | 1 | 10 | expected a number
            mov %r0, 12ab                     | 1 | 10 | malformed number '12a'
            """)
    void conformanceDialectFaults(String text, int line, int column, String problem) {
        assertFault(ConformanceAssembler::assemble, text.replace("\\n", "\n"), line, column, problem);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            exit\\nfoo r0                           | 2 | 1  | unknown instruction 'foo'
            r11 = 1                                 | 1 | 1  | invalid register 'r11'
            w1 = *(u32 *)(r12 + 0)                  | 1 | 15 | invalid register 'r12'
            r1 = 0x100000000                        | 1 | 6  | does not fit 32 bits
            r1 = -0x80000001                        | 1 | 6  | does not fit 32 bits
            r1 = 0x10000000000000000 ll             | 1 | 6  | does not fit 64 bits
            r1 = *(u64 *)(r2 + 0x8000)              | 1 | 20 | memory offset 32768 does not fit
            *(u8 *)(r10 - 32769) = r1               | 1 | 15 | memory offset -32769 does not fit
            goto <nowhere>\\nexit                   | 1 | 6  | undefined label 'nowhere'
            <a>:\\nexit\\n<a>: exit                 | 3 | 1  | duplicate label 'a'
            goto -3\\nexit                          | 1 | 6  | outside the program
            if r1 > 2 goto +0x8000\\nexit           | 1 | 16 | does not fit the 16-bit offset field
            assume r1 > 2                           | 1 | 1  | no eBPF encoding
            if r1 &!= 2 goto +0                     | 1 | 7  | no eBPF encoding
            w2 s32= r2                              | 1 | 4  | no eBPF encoding
            r1 = be16 r2                            | 1 | 6  | must name the same register
            r1 = -r2                                | 1 | 6  | negation must name the same register
            r1 = cmpxchg_64(r2 + 0, r1, r3)         | 1 | 6  | cmpxchg compares with and returns into r0
            r1 = atomic_fetch_add((u64 *)(r2 + 0), r3) | 1 | 6 | must be the same
            w1 = *(u64 *)(r2 + 0)                   | 1 | 6  | a 64-bit access needs a 64-bit register
            r1 = *(u64 *)(w2 + 0)                   | 1 | 18 | an address is held in a 64-bit register
            r1 = *(s64 *)(r2 + 0)                   | 1 | 8  | unknown access type 's64'
            r2 = *(u32 *)skb[4]                     | 1 | 6  | packet loads always write r0
            lock *(u16 *)(r1 + 0) += r2             | 1 | 6  | atomic operations exist on u32 and u64 only
            lock *(u64 *)(r1 + 0) -= r2             | 1 | 23 | unknown atomic operator '-='
            lock *(u64 *)(r1 + 0) += w2             | 1 | 6  | a 64-bit access needs a 64-bit register
            r1 = (s64)r2                            | 1 | 6  | cannot sign-extend from 64 bits
            r1 = (s4294967304)r2                    | 1 | 6  | cannot sign-extend from 4294967304 bits
            ld_pseudo r1, 9, 1                      | 1 | 15 | unknown pseudo source 9
            r1 += r2 r3                             | 1 | 10 | unexpected 'r3'
            if r1 ~ 2 goto +0                       | 1 | 7  | expected a comparison
            r1 = foo                                | 1 | 6  | unknown operand 'foo'
            """)
    void llvmDialectFaults(String text, int line, int column, String problem) {
        assertFault(LlvmAssembler::assemble, text.replace("\\n", "\n"), line, column, problem);
    }

    /** A label beyond the 16-bit reach of a jump, but within the 32-bit reach of gotol. */
    @Test
    void jumpsBeyondTheOffsetFieldNeedGotol() {
        String body = "\tr0 = 0\n".repeat(40_000);
        assertFault(LlvmAssembler::assemble, "goto <far>\n" + body + "<far>: exit\n", 1, 6,
                "label 'far' is 40000 slots away");
        List<Instruction> program = LlvmAssembler.assemble("prog.s", "gotol <far>\n" + body + "<far>: exit\n");
        assertEquals(40_002, program.size());
        assertFault(ConformanceAssembler::assemble, "ja far\n" + body.replace("\tr0 = 0", "mov %r0, 0")
                + "far:\nexit\n", 1, 4, "does not fit the 16-bit offset field");
    }

    /** Labels count slots: a 64-bit load takes two. */
    @Test
    void labelsCountSlots() {
        List<Instruction> program = LlvmAssembler.assemble("prog.s", """
                goto <end>
                r1 = 0x1122334455667788 ll
                <end>: exit
                """);
        assertEquals(new io.bpfstore.bytecode.asm.Goto(2), program.getFirst());
        assertEquals(LoadImm64.of(Register.R1, 0x1122334455667788L), program.get(1));
        List<Instruction> conformance = ConformanceAssembler.assemble("prog.s", """
                ja end
                lddw %r1, 0x1122334455667788
                end:
                exit
                """);
        assertEquals(program, conformance);
    }

    /** Numbers as the two dialects read them: LLVM takes 32-bit unsigned decimal, the conformance suite not. */
    @Test
    void immediatesAreBitPatternsOfTheField() {
        assertEquals(List.of(new AluImm(io.bpfstore.bytecode.asm.Width.W64, io.bpfstore.bytecode.asm.AluOp.MOV,
                        Register.R1, -1)),
                LlvmAssembler.assemble("prog.s", "r1 = 4294967295"));
        assertEquals(LlvmAssembler.assemble("prog.s", "r1 = -0x1"), LlvmAssembler.assemble("prog.s", "r1 = 0xffffffff"));
        assertEquals(LlvmAssembler.assemble("prog.s", "r1 = -1"),
                ConformanceAssembler.assemble("prog.s", "mov %r1, 0xffffffff"));
        assertEquals(LoadImm64.of(Register.R1, -1), LlvmAssembler.assemble("prog.s", "r1 = 18446744073709551615ll")
                .getFirst());
    }

    /** The conformance test-file parser names the line of a malformed section. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            -- asm\\nexit\\n-- mem\\n00 1\\n       | 4 | 4 | expected a byte
            -- asm\\nexit\\n-- mem\\n0g\\n         | 4 | 1 | malformed hexadecimal number '0g'
            -- asm\\nexit\\n-- result\\n0x1 0x2\\n | 4 | 1 | malformed hexadecimal
            -- asm\\nexit\\n-- asm\\nexit\\n       | 3 | 4 | section 'asm' appears twice
            junk\\n-- asm\\nexit\\n                 | 1 | 1 | text before the first section
            -- raw\\n95 00 00\\n                    | 2 | 1 | a raw instruction has 8 bytes, not 3
            -- asm\\nexit\\n-- result\\n0x10000000000000000\\n | 4 | 1 | does not fit 64 bits
            """)
    void testFileFaults(String text, int line, int column, String problem) {
        AssemblyException e = assertThrows(AssemblyException.class,
                () -> ConformanceCase.parse("t.data", text.replace("\\n", "\n")));
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    /** An error inside the asm section names the line of the file, not of the section. */
    @Test
    void assemblyErrorsNameTheLineOfTheFile() {
        ConformanceCase test = ConformanceCase.parse("t.data", "# header\n-- asm\nexit\nbogus\n-- result\n0x0\n");
        AssemblyException e = assertThrows(AssemblyException.class, test::program);
        assertEquals(4, e.line());
    }
}
