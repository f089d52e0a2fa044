package io.bpfstore.bytecode.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link BtfExt} against LLVM's tools: line records must agree with the DWARF line table, function records with
 * the function symbols, CO-RE relocations with llvm-objdump's decoding, and every instruction of every function
 * must map to a line.
 */
class BtfExtOracleTest {

    private static List<Path> objectsWithExt() {
        List<Path> objects = TestObjects.all().stream()
                .filter(o -> Tool.sectionNames(o).containsAll(List.of(".BTF", ".BTF.ext"))).toList();
        assertTrue(objects.size() >= TestObjects.COMPILERS.size(), "the compiled test programs carry .BTF.ext");
        return objects;
    }

    private static BtfExt read(Path object) {
        Btf btf = Btf.parse(Tool.section(object, ".BTF"));
        return BtfExt.parse(Tool.section(object, ".BTF.ext"), btf);
    }

    /**
     * Each line record matches a DWARF row at the same address with the same line, column and file; except the
     * record the compiler puts at a function's entry with column 0, which carries the function's declaration
     * line (DW_AT_decl_line) where DWARF's first row has the line of the opening brace.
     */
    @TestFactory
    Stream<DynamicTest> lineRecordsAgreeWithDwarf() {
        // An object whose debug sections were stripped keeps .BTF.ext but has no line table to compare with.
        return objectsWithExt().stream().filter(o -> Tool.sectionNames(o).contains(".debug_line"))
                .map(object -> DynamicTest.dynamicTest(object.getFileName().toString(), () -> {
            BtfExt ext = read(object);
            DwarfOracle dwarf = DwarfOracle.of(object);
            assertFalse(ext.lineInfos().isEmpty(), object + " has no line records");
            int checked = 0;
            for (Map.Entry<String, List<LineInfo>> e : ext.lineInfos().entrySet()) {
                String section = e.getKey();
                List<DwarfOracle.Row> rows = dwarf.rows.getOrDefault(section, List.of());
                assertFalse(rows.isEmpty(), object + ": DWARF has no line table for section " + section);
                for (LineInfo li : e.getValue()) {
                    Optional<FuncInfo> entry = ext.functionAt(section, li.instruction());
                    if (li.line() == 0) {
                        // No source line: the compiler marks instructions it made up (e.g. the second half of
                        // a 16-byte load) with line 0, and DWARF says line 0 for that address too.
                        DwarfOracle.Row covering = rows.stream().filter(r -> r.address() <= li.byteOffset())
                                .reduce((a, b) -> b).orElseThrow();
                        assertEquals(0, covering.line(), object + " " + section + ": " + li + " vs " + covering);
                        assertTrue(li.source().isEmpty(), li.toString());
                    } else if (li.column() == 0 && entry.isPresent()) {
                        assertEquals(dwarf.declLines.get(entry.get().name()), li.line(),
                                object + " " + section + ": entry line of " + entry.get().name() + " " + li);
                    } else {
                        // BTF keeps the compiler's full path, DWARF the path relative to its directory entry.
                        boolean match = rows.stream().anyMatch(r -> r.address() == li.byteOffset()
                                && r.line() == li.line() && (r.column() == li.column() || r.column() > 0x3ff)
                                && li.fileName().endsWith(r.file()));
                        assertTrue(match, object + " " + section + ": no DWARF row for " + li + " among "
                                + rows.stream().filter(r -> r.address() == li.byteOffset()).toList());
                    }
                    assertFalse(li.fileName().isEmpty(), li.toString());
                    checked++;
                }
            }
            assertTrue(checked > 0);
        }));
    }

    /** Function records and function symbols are the same set: name, section and offset. */
    @TestFactory
    Stream<DynamicTest> funcRecordsAgreeWithSymbols() {
        return objectsWithExt().stream().map(object -> DynamicTest.dynamicTest(object.getFileName().toString(), () -> {
            BtfExt ext = read(object);
            DwarfOracle symbols = DwarfOracle.of(object);
            Set<String> fromBtf = ext.funcInfos().entrySet().stream()
                    .flatMap(e -> e.getValue().stream().map(f -> e.getKey() + "+" + f.byteOffset() + " " + f.name()))
                    .collect(Collectors.toSet());
            Set<String> fromSymbols = symbols.functions.stream()
                    .map(f -> f.section() + "+" + f.start() + " " + f.name()).collect(Collectors.toSet());
            assertFalse(fromBtf.isEmpty(), object + " has no func records");
            assertEquals(fromSymbols, fromBtf, object.toString());
        }));
    }

    /**
     * Every instruction of every function symbol maps to a line record inside that function; a record with a line
     * number carries the source text.
     */
    @TestFactory
    Stream<DynamicTest> everyInstructionHasASourceLine() {
        return objectsWithExt().stream().map(object -> DynamicTest.dynamicTest(object.getFileName().toString(), () -> {
            BtfExt ext = read(object);
            int instructions = 0;
            for (DwarfOracle.Function f : DwarfOracle.of(object).functions) {
                for (long insn = f.start() / 8; insn < (f.start() + f.size()) / 8; insn++) {
                    Optional<LineInfo> line = ext.lineAt(f.section(), insn);
                    long at = insn;
                    assertTrue(line.isPresent(), () -> object + " " + f + ": no line for instruction " + at);
                    assertTrue(line.get().byteOffset() >= f.start(), object + " " + f + " instruction " + insn
                            + " maps to a line before the function: " + line.get());
                    // Line 0 means "made by the compiler"; lineRecordsAgreeWithDwarf checks DWARF agrees.
                    assertTrue(line.get().line() == 0 || !line.get().source().isEmpty(), line.get().toString());
                    instructions++;
                }
            }
            assertTrue(instructions > 0, object + " has no instructions");
        }));
    }

    private static final Pattern SECTION =
            Pattern.compile("^Disassembly of section (.+):$");
    private static final Pattern CORE =
            Pattern.compile("^\\s+([0-9a-f]+):\\s+CO-RE <(\\w+)> \\[(\\d+)\\] (.*)$");
    private static final Pattern FIELD_SPEC = Pattern.compile("\\(([\\d:]+)\\)$");
    private static final Pattern ENUMERATOR = Pattern.compile("::(\\w+) = ");

    /**
     * CO-RE relocations agree with llvm-objdump's {@code -r} listing (LLVM 19 decodes {@code .BTF.ext} itself):
     * same section, instruction, kind, root type, and access path (member indexes for field kinds, the
     * enumerator for enum kinds).
     */
    @TestFactory
    Stream<DynamicTest> coreRelocationsAgreeWithLlvmObjdump() {
        return objectsWithExt().stream().map(object -> DynamicTest.dynamicTest(object.getFileName().toString(), () -> {
            Btf btf = Btf.parse(Tool.section(object, ".BTF"));
            BtfExt ext = BtfExt.parse(Tool.section(object, ".BTF.ext"), btf);
            Set<String> ours = new TreeSet<>();
            ext.coreRelocations().forEach((section, relos) -> relos.forEach(r -> {
                String spec = "";
                if (r.kind().isFieldBased()) {
                    spec = "(" + r.accessString() + ")";
                } else if (r.kind().isEnumValueBased()) {
                    BtfType.Enumeration e = (BtfType.Enumeration) btf.resolve(r.typeId());
                    spec = "::" + e.values().get(Integer.parseInt(r.accessString())).name();
                } else {
                    assertEquals("0", r.accessString(), r.toString());
                }
                ours.add(section + "+" + r.byteOffset() + " <" + r.kind().label() + "> [" + r.typeId() + "] " + spec);
            }));
            Set<String> theirs = new TreeSet<>();
            String section = null;
            for (String line : Tool.lines("llvm-objdump-19", "-d", "-r", object.toString())) {
                Matcher s = SECTION.matcher(line);
                if (s.find()) {
                    section = s.group(1);
                    continue;
                }
                Matcher m = CORE.matcher(line);
                if (m.find()) {
                    Matcher field = FIELD_SPEC.matcher(m.group(4));
                    Matcher enumerator = ENUMERATOR.matcher(m.group(4));
                    String spec = field.find() ? "(" + field.group(1) + ")"
                            : enumerator.find() ? "::" + enumerator.group(1) : "";
                    theirs.add(section + "+" + Long.parseLong(m.group(1), 16) + " <" + m.group(2) + "> ["
                            + m.group(3) + "] " + spec);
                }
            }
            assertEquals(theirs, ours, object.toString());
        }));
    }

    /** The test program asks for every relocation kind its compiler knows (TYPE_MATCHES needs clang 15+). */
    @Test
    void testProgramCoversEveryCoreKind() {
        for (String compiler : TestObjects.COMPILERS) {
            Path object = TestObjects.compiled("btf_kinds", compiler);
            BtfExt ext = read(object);
            Set<CoreRelocationKind> kinds = ext.coreRelocations().values().stream().flatMap(List::stream)
                    .map(CoreRelocation::kind).collect(Collectors.toSet());
            Set<CoreRelocationKind> expected = EnumSet.allOf(CoreRelocationKind.class);
            if (compiler.equals("clang")) {
                expected.remove(CoreRelocationKind.TYPE_MATCHES);
            }
            assertEquals(expected, kinds, compiler);
        }
    }
}
