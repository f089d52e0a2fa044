package io.bpfstore.bytecode.btf;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What LLVM's own tools say about an object's debug information and symbols: the DWARF line table per ELF
 * section, the declaration line of each function, and the function symbols.
 *
 * <p>In a relocatable object every code section starts at address 0, so the line table alone cannot say which
 * section a sequence describes. The {@code DW_LNE_set_address} that opens each sequence carries a relocation
 * against the section's symbol: reading {@code .rel.debug_line} with llvm-readelf names the section.
 */
final class DwarfOracle {
    /** A line-table row; {@code file} is the file name as the line table records it (often relative). */
    record Row(long address, int line, int column, String file) {
    }

    /** A function symbol. */
    record Function(String section, long start, long size, String name) {
    }

    private static final Pattern SET_ADDRESS =
            Pattern.compile("^0x([0-9a-f]+): 00 DW_LNE_set_address \\(0x([0-9a-f]+)\\)");
    private static final Pattern ROW = Pattern.compile(
            "^\\s*0x([0-9a-f]{16})\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+\\d+\\s+\\d+\\s+\\d+(.*)$");
    private static final Pattern FILE_NAME = Pattern.compile("^\\s+name:\\s+(?:.*= )?\"(.*)\"$");
    private static final Pattern RELOCATION =
            Pattern.compile("^([0-9a-f]{16})\\s+[0-9a-f]{16}\\s+\\S+\\s+([0-9a-f]{16})\\s+(\\S+)");
    private static final Pattern SYMBOL = Pattern.compile("^([0-9a-f]{16}) (.{7}) (\\S+)\\t([0-9a-f]{16}) (.+)$");
    private static final Pattern ENTRY = Pattern.compile("^0x[0-9a-f]+:\\s+(DW_TAG_\\w+|NULL)");
    private static final Pattern NAME = Pattern.compile("DW_AT_name\\s+\\(\"(.*)\"\\)");
    private static final Pattern DECL_LINE = Pattern.compile("DW_AT_decl_line\\s+\\((\\d+)\\)");

    final Map<String, List<Row>> rows = new HashMap<>();
    final Map<String, Integer> declLines = new HashMap<>();
    final List<Function> functions = new ArrayList<>();

    private static final Map<Path, DwarfOracle> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** The oracle's view of {@code object}, read once per test run. */
    static DwarfOracle of(Path object) {
        return CACHE.computeIfAbsent(object, DwarfOracle::read);
    }

    private static DwarfOracle read(Path object) {
        DwarfOracle d = new DwarfOracle();
        d.readLineTable(object);
        d.readDeclLines(object);
        d.readSymbols(object);
        return d;
    }

    private void readLineTable(Path object) {
        // Relocations of .debug_line: field offset -> (symbol value, symbol name).
        Map<Long, Map.Entry<Long, String>> relocations = new HashMap<>();
        boolean inDebugLine = false;
        for (String line : Tool.lines("llvm-readelf-19", "-r", "-W", object.toString())) {
            if (line.startsWith("Relocation section")) {
                inDebugLine = line.contains("'.rel.debug_line'");
                continue;
            }
            Matcher m = RELOCATION.matcher(line);
            if (inDebugLine && m.find()) {
                relocations.put(Long.parseLong(m.group(1), 16),
                        Map.entry(Long.parseLong(m.group(2), 16), m.group(3)));
            }
        }
        String section = null;
        long base = 0;
        List<String> files = new ArrayList<>();
        boolean inFileEntry = false;
        for (String line : Tool.lines("llvm-dwarfdump-19", "--debug-line", "-v", object.toString())) {
            if (line.startsWith("debug_line[")) {
                files = new ArrayList<>(); // a new unit with its own file table
                continue;
            }
            if (line.startsWith("file_names[")) {
                inFileEntry = true;
                continue;
            }
            Matcher fileName = FILE_NAME.matcher(line);
            if (inFileEntry && fileName.find()) {
                files.add(fileName.group(1));
                inFileEntry = false;
                continue;
            }
            Matcher set = SET_ADDRESS.matcher(line);
            if (set.find()) {
                long opcode = Long.parseLong(set.group(1), 16);
                Map.Entry<Long, String> target = null;
                for (long at = opcode + 1; at < opcode + 12 && target == null; at++) {
                    target = relocations.get(at);
                }
                assertNotNull(target, object + ": no relocation for DW_LNE_set_address at 0x"
                        + Long.toHexString(opcode) + " of .debug_line");
                section = target.getValue();
                base = target.getKey();
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (row.find() && section != null) {
                if (row.group(5).contains("end_sequence")) {
                    section = null;
                    continue;
                }
                int file = Integer.parseInt(row.group(4));
                rows.computeIfAbsent(section, k -> new ArrayList<>()).add(new Row(
                        base + Long.parseLong(row.group(1), 16), Integer.parseInt(row.group(2)),
                        Integer.parseInt(row.group(3)), file < files.size() ? files.get(file) : "?" + file));
            }
        }
    }

    private void readDeclLines(Path object) {
        boolean subprogram = false;
        String name = null;
        Integer declLine = null;
        List<String> lines = new ArrayList<>(Tool.lines("llvm-dwarfdump-19", "--debug-info", object.toString()));
        lines.add("0x0: NULL");
        for (String line : lines) {
            Matcher entry = ENTRY.matcher(line);
            if (entry.find()) {
                if (subprogram && name != null && declLine != null) {
                    declLines.put(name, declLine);
                }
                subprogram = entry.group(1).equals("DW_TAG_subprogram");
                name = null;
                declLine = null;
                continue;
            }
            Matcher n = NAME.matcher(line);
            if (n.find()) {
                name = n.group(1);
            }
            Matcher d = DECL_LINE.matcher(line);
            if (d.find()) {
                declLine = Integer.parseInt(d.group(1));
            }
        }
    }

    private void readSymbols(Path object) {
        for (String line : Tool.lines("llvm-objdump-19", "-t", object.toString())) {
            Matcher m = SYMBOL.matcher(line);
            if (m.find() && m.group(2).endsWith("F")) {
                functions.add(new Function(m.group(3), Long.parseLong(m.group(1), 16),
                        Long.parseLong(m.group(4), 16), m.group(5)));
            }
        }
    }
}
