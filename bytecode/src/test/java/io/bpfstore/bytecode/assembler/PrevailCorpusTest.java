package io.bpfstore.bytecode.assembler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpfstore.bytecode.asm.Disassembler;
import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.asm.InstructionCodec;
import io.bpfstore.bytecode.asm.LoadImm64;
import io.bpfstore.bytecode.asm.Pseudo;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The code of every PREVAIL verifier test ({@code prevail/test-data/*.yaml}): it assembles with its labels
 * resolved, or, where it uses one of PREVAIL's forms that have no eBPF encoding, fails with an
 * {@link AssemblyException} saying so; what assembles round-trips through {@link LlvmPrinter}, and llvm-mc-19
 * assembles the printed text to the same bytes.
 */
@ExtendWith(Corpus.Required.class)
class PrevailCorpusTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** PREVAIL forms without an eBPF encoding, recognised independently of the assembler. */
    private static final Map<String, Pattern> UNENCODABLE = Map.of(
            "assume", Pattern.compile("(?m)^\\s*(<\\w+>:\\s*)?assume\\b"),
            "&!=", Pattern.compile("&!="),
            "w s32=", Pattern.compile("\\bw\\d+\\s*s32="));

    private record Assembled(PrevailCases.Case test, List<Instruction> program, byte[] bytes) {
    }

    private static List<PrevailCases.Case> cases;
    private static final List<Assembled> assembled = new ArrayList<>();
    private static final Map<String, Integer> rejected = new TreeMap<>();

    @BeforeAll
    static void assembleAll() {
        List<Path> files = Corpus.files("prevail/test-data", ".yaml");
        cases = new ArrayList<>();
        int declared = 0;
        for (Path file : files) {
            cases.addAll(PrevailCases.read(file));
            declared += (int) Corpus.read(file).lines().filter(l -> l.startsWith("test-case:")).count();
        }
        assertEquals(declared, cases.size(), "every test-case: line gives one case");
        List<String> failures = new ArrayList<>();
        for (PrevailCases.Case test : cases) {
            String text = test.text();
            String code = stripComments(text);
            String reason = UNENCODABLE.entrySet().stream().filter(e -> e.getValue().matcher(code).find())
                    .map(Map.Entry::getKey).sorted().findFirst().orElse(null);
            if (reason != null) {
                AssemblyException e = assertThrows(AssemblyException.class,
                        () -> LlvmAssembler.assemble(test.source(), text), test.source());
                assertTrue(e.getMessage().contains("no eBPF encoding"), test.source() + ": " + e.getMessage());
                rejected.merge(reason, 1, Integer::sum);
                continue;
            }
            try {
                List<Instruction> program = LlvmAssembler.assemble(test.source(), text);
                assembled.add(new Assembled(test, program, InstructionCodec.encode(program, LE)));
            } catch (RuntimeException e) {
                failures.add(e.getMessage() + "\n" + text);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " PREVAIL cases do not assemble:\n" + String.join("\n", failures));
        }
    }

    private static String stripComments(String text) {
        return text.lines().map(l -> l.replaceAll("[;#].*", "")).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void everyCaseAssemblesOrIsRejectedForAFormWithoutEncoding() {
        int rejectedTotal = rejected.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(cases.size(), assembled.size() + rejectedTotal);
        // The corpus as of this writing: most cases are encodable; the rest use PREVAIL's internal forms.
        assertTrue(assembled.size() > cases.size() / 2, "assembled " + assembled.size() + ", rejected " + rejected);
    }

    /**
     * With {@link PrevailAssembler} every case assembles: the forms without encoding become their statements,
     * exactly in the cases that use them, and everything else is what {@link LlvmAssembler} makes of it.
     */
    @Test
    void everyCaseAssemblesInPrevailSyntax() {
        int pseudo = 0;
        for (PrevailCases.Case test : cases) {
            List<PrevailStatement> statements = PrevailAssembler.assemble(test.source(), test.text());
            boolean encodable = statements.stream().allMatch(s -> s instanceof PrevailStatement.Machine);
            boolean flagged = UNENCODABLE.values().stream().anyMatch(p -> p.matcher(stripComments(test.text())).find());
            assertEquals(flagged, !encodable, test.source());
            if (encodable) {
                assertEquals(LlvmAssembler.assemble(test.source(), test.text()),
                        statements.stream().map(s -> ((PrevailStatement.Machine) s).instruction()).toList(),
                        test.source());
            } else {
                pseudo++;
            }
        }
        assertEquals(rejected.values().stream().mapToInt(Integer::intValue).sum(), pseudo);
    }

    @Test
    void everyLineBecomesOneInstruction() {
        for (Assembled a : assembled) {
            long lines = stripComments(a.test().text()).lines()
                    .map(l -> l.replaceFirst("^\\s*<\\w+>:", "").strip())
                    .filter(l -> !l.isEmpty()).count();
            assertEquals(lines, a.program().size(), a.test().source());
        }
    }

    @Test
    void printedTextAssemblesToTheSameBytes() {
        for (Assembled a : assembled) {
            String text = String.join("\n", LlvmPrinter.print(a.program(), ""));
            byte[] again = InstructionCodec.encode(LlvmAssembler.assemble(a.test().source(), text), LE);
            assertArrayEquals(a.bytes(), again, a.test().source() + ":\n" + text);
        }
    }

    /** Our disassembly of every assembled case is what llvm-objdump-19 prints for the same bytes. */
    @Test
    void disassemblyEqualsLlvmObjdump() {
        List<byte[]> programs = assembled.stream().map(Assembled::bytes).toList();
        ConformanceCorpusTest.assertLines(Oracle.objdump(programs, "llvm-objdump-19", "-d", "--mcpu=v4"),
                new Disassembler(Disassembler.Dialect.ALU32).listing(".text", Oracle.concat(programs), LE,
                        Oracle.symbols(programs)), "PREVAIL cases");
    }

    /**
     * llvm-mc-19 agrees on the bytes of every assembled case whose printed text is plain LLVM syntax (all but the
     * map loads with an offset, which only PREVAIL's syntax can state).
     */
    @Test
    void llvmMcAssemblesThePrintedTextToTheSameBytes() {
        List<Assembled> chosen = assembled.stream().filter(a -> a.program().stream().noneMatch(
                i -> i instanceof LoadImm64 l && l.pseudo() != Pseudo.NONE && l.nextImm() != 0)).toList();
        assertTrue(chosen.size() > assembled.size() * 9 / 10, "only " + chosen.size() + " cases in plain LLVM syntax");
        StringBuilder source = new StringBuilder("\t.text\n");
        for (int i = 0; i < chosen.size(); i++) {
            source.append(Oracle.symbol(i)).append(":\n");
            for (String line : LlvmPrinter.print(chosen.get(i).program(), Oracle.symbol(i) + "_")) {
                source.append(line).append('\n');
            }
        }
        ConformanceCorpusTest.assertBytes(Oracle.llvmMc(source.toString()),
                chosen.stream().map(Assembled::bytes).toList(),
                chosen.stream().map(a -> a.test().source()).toList());
    }
}
