package io.bpfstore.bytecode.assembler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpfstore.bytecode.asm.AluImm;
import io.bpfstore.bytecode.asm.AluOp;
import io.bpfstore.bytecode.asm.AluReg;
import io.bpfstore.bytecode.asm.Atomic;
import io.bpfstore.bytecode.asm.ByteSwap;
import io.bpfstore.bytecode.asm.CallHelper;
import io.bpfstore.bytecode.asm.CallLocal;
import io.bpfstore.bytecode.asm.CallRegister;
import io.bpfstore.bytecode.asm.Disassembler;
import io.bpfstore.bytecode.asm.GotoLong;
import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.asm.InstructionCodec;
import io.bpfstore.bytecode.asm.LoadSigned;
import io.bpfstore.bytecode.asm.MovSx;
import io.bpfstore.bytecode.asm.Size;
import io.bpfstore.bytecode.asm.SwapKind;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bpf_conformance suite's tests ({@code bpf_conformance/tests/*.data}): every one assembles, its
 * disassembly is what llvm-objdump-19 prints for the same bytes, and llvm-mc-19 assembles our printed text to
 * the same bytes as we do.
 */
@ExtendWith(Corpus.Required.class)
class ConformanceCorpusTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** One assembled test. */
    record Assembled(String name, List<Instruction> program, byte[] bytes) {
    }

    private static List<Path> files;
    private static List<Assembled> corpus;

    @BeforeAll
    static void assembleAll() {
        files = Corpus.files("bpf_conformance/tests", ".data");
        corpus = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            try {
                ConformanceCase test = ConformanceCase.parse(name, Corpus.read(file));
                List<Instruction> program = test.program();
                corpus.add(new Assembled(name, program, InstructionCodec.encode(program, LE)));
            } catch (RuntimeException e) {
                failures.add(name + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + files.size() + " tests do not assemble:\n" + String.join("\n", failures));
        }
    }

    @Test
    void everyTestAssemblesToAProgram() {
        assertEquals(files.size(), corpus.size());
        for (Assembled a : corpus) {
            assertTrue(a.bytes().length > 0, a.name() + " assembles to nothing");
        }
    }

    @Test
    void rawSectionsAgreeWithTheAssembly() {
        int checked = 0;
        for (Path file : files) {
            ConformanceCase test = ConformanceCase.parse(file.getFileName().toString(), Corpus.read(file));
            if (test.asm().isPresent() && test.raw().isPresent()) {
                assertArrayEquals(test.raw().get(), test.bytes(), test.name());
                checked++;
            }
        }
        assertTrue(checked > 0, "no test has both an asm and a raw section; the check ran on nothing");
    }

    @Test
    void printedTextAssemblesToTheSameBytes() {
        for (Assembled a : corpus) {
            String text = String.join("\n", LlvmPrinter.print(a.program(), ""));
            byte[] again = InstructionCodec.encode(LlvmAssembler.assemble(a.name(), text), LE);
            assertArrayEquals(a.bytes(), again, a.name() + ":\n" + text);
        }
    }

    /**
     * The bare disassembler text (no labels) assembles to the same bytes, except that a bpf-to-bpf call comes back
     * as a helper call with the same immediate, because llvm-objdump prints both as {@code call <imm>}.
     */
    @Test
    void disassemblerTextAssemblesToTheSameBytesWhereItDeterminesThem() {
        Disassembler disassembler = new Disassembler(Disassembler.Dialect.ALU32);
        int lossy = 0;
        for (Assembled a : corpus) {
            List<String> lines = a.program().stream().map(disassembler::text).toList();
            List<Instruction> again = LlvmAssembler.assemble(a.name(), String.join("\n", lines));
            assertEquals(a.program().size(), again.size(), a.name());
            for (int i = 0; i < again.size(); i++) {
                Instruction expected = a.program().get(i) instanceof CallLocal call
                        ? new CallHelper(call.offset())
                        : a.program().get(i);
                if (expected != a.program().get(i)) {
                    lossy++;
                }
                assertEquals(expected, again.get(i), a.name() + " instruction " + i + ": " + lines.get(i));
            }
        }
        assertTrue(lossy > 0, "the corpus has bpf-to-bpf calls; the lossy case ran on nothing");
    }

    @Test
    void disassemblyEqualsLlvmObjdump() {
        List<byte[]> programs = corpus.stream().map(Assembled::bytes).toList();
        byte[] all = Oracle.concat(programs);
        for (Disassembler.Dialect dialect : Disassembler.Dialect.values()) {
            List<String> expected = dialect == Disassembler.Dialect.ALU32
                    ? Oracle.objdump(programs, "llvm-objdump-19", "-d", "--mcpu=v4")
                    : Oracle.objdump(programs, "llvm-objdump-19", "-d");
            List<String> actual = new Disassembler(dialect).listing(".text", all, LE, Oracle.symbols(programs));
            assertLines(expected, actual, dialect.toString());
        }
    }

    @Test
    void llvmMcAssemblesOurTextToTheSameBytes() {
        StringBuilder source = new StringBuilder("\t.text\n");
        for (int i = 0; i < corpus.size(); i++) {
            source.append(Oracle.symbol(i)).append(":\n");
            for (String line : LlvmPrinter.print(corpus.get(i).program(), Oracle.symbol(i) + "_")) {
                source.append(line).append('\n');
            }
        }
        byte[] expected = Oracle.llvmMc(source.toString());
        assertBytes(expected, corpus.stream().map(Assembled::bytes).toList(),
                corpus.stream().map(Assembled::name).toList());
    }

    /**
     * Older llvm-objdump (14) prints decimal immediates ({@code r0 = 1}, {@code goto -1}); that text assembles to
     * the same bytes too. LLVM 14 misreads ISA v4 (it ignores the offset
     * field that tells {@code s/=} from {@code /=}), so programs using it, programs with bpf-to-bpf calls
     * (printed like helper calls) and with 32-bit atomics (a fetch-add prints without its fetch) are left out, as are those where it prints {@code <unknown>} (stores of
     * immediates, the bit-test jump, most 32-bit atomics); the rest must be most of the corpus.
     */
    @Test
    void decimalTextOfLlvmObjdump14Assembles() {
        List<Assembled> chosen = corpus.stream()
                .filter(a -> a.program().stream().noneMatch(ConformanceCorpusTest::unknownToLlvm14OrLossy)).toList();
        List<byte[]> programs = chosen.stream().map(Assembled::bytes).toList();
        List<String> listing = Oracle.objdump(programs, "llvm-objdump", "-d", "--mcpu=v3");
        List<List<String>> texts = new ArrayList<>();
        for (String line : listing) {
            if (line.matches("[0-9a-f]{16} <p\\d+>:")) {
                texts.add(new ArrayList<>());
            } else if (!line.isEmpty()) {
                String[] columns = line.split("\t");
                texts.getLast().add(columns[columns.length - 1]);
            }
        }
        assertEquals(chosen.size(), texts.size());
        int assembled = 0;
        for (int i = 0; i < chosen.size(); i++) {
            if (texts.get(i).contains("<unknown>")) {
                continue;
            }
            String text = String.join("\n", texts.get(i));
            byte[] again;
            try {
                again = InstructionCodec.encode(LlvmAssembler.assemble(chosen.get(i).name(), text), LE);
            } catch (AssemblyException e) {
                throw new AssertionError(e.getMessage() + " in\n" + text, e);
            }
            assertArrayEquals(chosen.get(i).bytes(), again, chosen.get(i).name() + ":\n" + text);
            assembled++;
        }
        assertTrue(assembled > corpus.size() / 2, "only " + assembled + " programs in LLVM 14's reach");
    }

    private static boolean unknownToLlvm14OrLossy(Instruction i) {
        return switch (i) {
            case MovSx m -> true;
            case LoadSigned l -> true;
            case GotoLong g -> true;
            case CallLocal c -> true;
            case CallRegister c -> true;
            case ByteSwap s -> s.kind() == SwapKind.BSWAP;
            case AluImm a -> a.op() == AluOp.SDIV || a.op() == AluOp.SMOD;
            case AluReg a -> a.op() == AluOp.SDIV || a.op() == AluOp.SMOD;
            case Atomic a -> a.size() == Size.W;
            default -> false;
        };
    }

    /** Compares listings line by line, reporting the first difference with context. */
    static void assertLines(List<String> expected, List<String> actual, String what) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                fail(what + ": line " + i + " differs\n  llvm: " + expected.get(i) + "\n  ours: " + actual.get(i));
            }
        }
        assertEquals(expected.size(), actual.size(), what + ": number of lines");
    }

    /** Compares the oracle's bytes with the programs laid out one after another; names the first culprit. */
    static void assertBytes(byte[] expected, List<byte[]> programs, List<String> names) {
        byte[] actual = Oracle.concat(programs);
        int offset = 0;
        for (int p = 0; p < programs.size(); p++) {
            int end = offset + programs.get(p).length;
            if (end > expected.length || !Arrays.equals(expected, offset, end, actual, offset, end)) {
                byte[] theirs = Arrays.copyOfRange(expected, Math.min(offset, expected.length),
                        Math.min(end, expected.length));
                assertArrayEquals(programs.get(p), theirs, names.get(p) + " differs from llvm-mc");
            }
            offset = end;
        }
        assertEquals(expected.length, actual.length, "total size");
    }
}
