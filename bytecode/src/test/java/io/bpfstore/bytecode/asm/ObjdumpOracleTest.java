package io.bpfstore.bytecode.asm;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares {@link Disassembler#listing} with {@code llvm-objdump-19 -d} (dialect GENERIC) and
 * {@code llvm-objdump-19 -d --mcpu=v4} (dialect ALU32), run at test time, for every code section of every object
 * under {@code bpf.objects} and of the objects built here from the sources in {@code src/test/resources/asm}
 * (assembled with llvm-mc-19, compiled with clang-19 and clang 14, little and big endian).
 *
 * <p>The comparison is exact, line by line, headers and branch annotations included; the only normalisation is
 * dropping the empty lines that end objdump's block for a section. Section bytes come from
 * {@code llvm-objcopy --dump-section}, symbols from {@code llvm-objdump-19 -t}. Run with
 * {@code -Dbpf.objects=DIR} to check any other directory of objects.
 */
class ObjdumpOracleTest {
    private static final String OBJDUMP = "llvm-objdump-19";
    private static final String INCLUDE = "-I/usr/include/x86_64-linux-gnu";

    @TempDir
    static Path work;

    private static final List<Path> BUILT = new ArrayList<>();

    @BeforeAll
    static void buildTestObjects() throws IOException, URISyntaxException {
        Path sources = Path.of(ObjdumpOracleTest.class.getResource("/asm").toURI());
        try (Stream<Path> files = Files.list(sources)) {
            for (Path source : files.sorted().toList()) {
                String name = source.getFileName().toString();
                String stem = name.replaceFirst("\\.[^.]*$", "");
                for (String target : List.of("bpfel", "bpfeb")) {
                    if (name.endsWith(".s")) {
                        List<String> cmd = new ArrayList<>(List.of("llvm-mc-19", "-triple", target, "-mcpu=v4",
                                "-filetype=obj"));
                        if (target.equals("bpfeb")) {
                            cmd.addAll(List.of("--defsym", "BIG=1"));
                        }
                        build(cmd, source, stem + "-mc19-" + target);
                    } else if (name.endsWith(".c")) {
                        build(List.of("clang-19", "-O2", "-g", "-target", target, "-mcpu=v4", "-DV4", INCLUDE, "-c"),
                                source, stem + "-clang19-v4-" + target);
                        build(List.of("clang-19", "-O2", "-target", target, "-DNO_ATOMIC32", INCLUDE, "-c"), source,
                                stem + "-clang19-generic-" + target);
                        build(List.of("clang", "-O2", "-g", "-target", target, "-mcpu=v3", INCLUDE, "-c"), source,
                                stem + "-clang14-v3-" + target);
                    }
                }
            }
        }
        assertFalse(BUILT.isEmpty(), "no test sources under " + sources);
    }

    private static void build(List<String> command, Path source, String output) {
        Path object = work.resolve(output + ".o");
        List<String> all = new ArrayList<>(command);
        all.add(source.toString());
        all.add("-o");
        all.add(object.toString());
        ExternalTool.output(all);
        BUILT.add(object);
    }


    @TestFactory
    Stream<DynamicTest> listingsMatchObjdump() throws IOException {
        List<Path> objects = new ArrayList<>(ExampleObjects.all());
        objects.addAll(BUILT);
        return objects.stream().map(object -> dynamicTest(object.getFileName().toString(), () -> compare(object)));
    }

    /** Both dialects of one object; symbols come with the first objdump run ({@code -t}), bytes from objcopy. */
    private static void compare(Path object) throws IOException {
        String generic = ExternalTool.output(OBJDUMP, "-d", "-t", object.toString());
        String alu32 = ExternalTool.output(OBJDUMP, "-d", "--mcpu=v4", object.toString());
        Map<String, List<Disassembler.Symbol>> symbols = symbols(generic);
        Map<String, List<String>> expectedGeneric = sections(generic);
        assertFalse(expectedGeneric.isEmpty(), "llvm-objdump shows no code in " + object);
        Map<String, byte[]> code = dumpSections(object, expectedGeneric.keySet());
        ByteOrder order = order(object);
        List<Executable> checks = new ArrayList<>();
        for (Map.Entry<Disassembler.Dialect, Map<String, List<String>>> dialect : Map.of(
                Disassembler.Dialect.GENERIC, expectedGeneric,
                Disassembler.Dialect.ALU32, sections(alu32)).entrySet()) {
            Disassembler disassembler = new Disassembler(dialect.getKey());
            for (Map.Entry<String, List<String>> section : dialect.getValue().entrySet()) {
                checks.add(() -> assertEquals(String.join("\n", section.getValue()),
                        String.join("\n", disassembler.listing(section.getKey(), code.get(section.getKey()), order,
                                symbols.getOrDefault(section.getKey(), List.of()))),
                        object.getFileName() + " section " + section.getKey() + ", dialect " + dialect.getKey()));
            }
        }
        assertAll(checks);
    }

    /** objdump's block of lines per section, without its trailing empty lines. */
    static Map<String, List<String>> sections(String objdump) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : objdump.split("\n", -1)) {
            if (line.startsWith("Disassembly of section ") && line.endsWith(":")) {
                current = new ArrayList<>();
                result.put(line.substring("Disassembly of section ".length(), line.length() - 1), current);
            } else if (current != null) {
                current.add(line);
            }
        }
        for (List<String> lines : result.values()) {
            while (!lines.isEmpty() && lines.getLast().isEmpty()) {
                lines.removeLast();
            }
        }
        return result;
    }

    private static final Pattern SYMBOL = Pattern.compile(
            "^([0-9a-f]{16}) (.{7}) (\\S+)\\t[0-9a-f]+ (?:\\.hidden |\\.protected |\\.internal )?(.*)$");

    /** Symbols per section from {@code llvm-objdump -t}, without section symbols (flag 'd' in column 6). */
    static Map<String, List<Disassembler.Symbol>> symbols(String table) {
        Map<String, List<Disassembler.Symbol>> result = new LinkedHashMap<>();
        for (String line : table.split("\n")) {
            Matcher m = SYMBOL.matcher(line);
            if (m.matches() && m.group(2).charAt(5) != 'd') {
                result.computeIfAbsent(m.group(3), k -> new ArrayList<>())
                        .add(new Disassembler.Symbol(m.group(4), Long.parseUnsignedLong(m.group(1), 16)));
            }
        }
        return result;
    }

    private static final Map<Path, Map<String, byte[]>> DUMPS = new ConcurrentHashMap<>();

    /** The bytes of the named sections, from one llvm-objcopy run per object (cached). */
    private static Map<String, byte[]> dumpSections(Path object, Collection<String> names) throws IOException {
        Map<String, byte[]> cached = DUMPS.get(object);
        if (cached != null && cached.keySet().containsAll(names)) {
            return cached;
        }
        Path dir = Files.createTempDirectory(work, "sections");
        List<String> cmd = new ArrayList<>(List.of("llvm-objcopy-19"));
        List<String> ordered = List.copyOf(names);
        for (int i = 0; i < ordered.size(); i++) {
            cmd.add("--dump-section");
            cmd.add(ordered.get(i) + "=" + dir.resolve(i + ".bin"));
        }
        cmd.add(object.toString());
        cmd.add(dir.resolve("copy.o").toString());
        ExternalTool.output(cmd);
        Map<String, byte[]> result = new LinkedHashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            result.put(ordered.get(i), Files.readAllBytes(dir.resolve(i + ".bin")));
        }
        DUMPS.put(object, result);
        return result;
    }

    /** The byte order from the ELF identification (EI_DATA: 1 little, 2 big endian). */
    static ByteOrder order(Path object) throws IOException {
        byte[] ident = new byte[6];
        try (var in = Files.newInputStream(object)) {
            if (in.readNBytes(ident, 0, 6) != 6) {
                fail(object + " is too short for an ELF file");
            }
        }
        return switch (ident[5]) {
            case 1 -> ByteOrder.LITTLE_ENDIAN;
            case 2 -> ByteOrder.BIG_ENDIAN;
            default -> fail(object + " has no ELF byte order");
        };
    }

    /**
     * The purpose-written inputs contain every instruction form: each record type, with every operation,
     * condition, size, width and source variant that record allows.
     */
    @Test
    void testInputsCoverEveryForm() throws IOException {
        TreeSet<String> seen = new TreeSet<>();
        for (Path object : BUILT) {
            ByteOrder order = order(object);
            Set<String> names = sections(ExternalTool.output(OBJDUMP, "-d", object.toString())).keySet();
            for (Map.Entry<String, byte[]> section : dumpSections(object, names).entrySet()) {
                for (InstructionAt at : InstructionCodec.decode(section.getValue(), order, section.getKey())) {
                    seen.add(Forms.of(at.instruction()));
                }
            }
        }
        TreeSet<String> missing = new TreeSet<>(Forms.all());
        missing.removeAll(seen);
        assertTrue(missing.isEmpty(), "forms no test input contains: " + missing);
    }
}
