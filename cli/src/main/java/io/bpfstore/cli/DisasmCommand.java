package io.bpfstore.cli;

import io.bpfstore.bytecode.asm.Disassembler;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.ObjectDisassembly;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bpfstore disasm FILE.o [-o json]}: every program's instructions, as {@code llvm-objdump-19 -d} prints them. */
@Command(name = "disasm", description = "Disassemble the code sections of an eBPF object (llvm-objdump -d form).")
final class DisasmCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE.o", description = "eBPF object file (ELF)")
    Path file;

    @Option(names = "--source", description = "interleave source lines from BTF line info")
    boolean source;

    @Option(names = "--mcpu", paramLabel = "CPU", defaultValue = "generic",
            description = "generic (llvm-objdump -d), or v3/v4 (llvm-objdump --mcpu=v3: 32-bit loads name w registers)")
    String cpu;

    @Mixin
    OutputOption output;

    private static final Pattern SYMBOL = Pattern.compile("[0-9a-f]{16} <(.+)>:");
    private static final Pattern INSTRUCTION = Pattern.compile("\\s*(\\d+):\\t([0-9a-f ]+)\\t?(.*)");

    @Override
    public Integer call() throws IOException {
        Disassembler.Dialect dialect = switch (cpu) {
            case "generic", "v1", "v2" -> Disassembler.Dialect.GENERIC;
            case "v3", "v4" -> Disassembler.Dialect.ALU32;
            default -> throw UserError.usage("unknown --mcpu " + cpu + " (expected generic, v1, v2, v3 or v4)");
        };
        BpfObject object = BpfObject.read(file);
        PrintWriter out = output.out();
        List<String> lines = ObjectDisassembly.lines(object, file.toString(), dialect, source);
        if (output.json()) {
            Json.print(out, toJson(lines));
            return 0;
        }
        lines.forEach(line -> Terminal.println(out, line));
        out.flush();
        return 0;
    }

    /**
     * The listing as data: per section, its symbols, source lines and instructions (offset in instructions, the
     * encoded bytes, the text), read back from the llvm-objdump form so both outputs say the same.
     */
    private Map<String, Object> toJson(List<String> lines) {
        List<Map<String, Object>> sections = new ArrayList<>();
        List<Map<String, Object>> entries = null;
        for (String line : lines) {
            Matcher m;
            if (line.startsWith("Disassembly of section ")) {
                entries = new ArrayList<>();
                sections.add(Map.of("name", line.substring(23, line.length() - 1), "lines", entries));
            } else if (entries == null || line.isEmpty()) {
                continue;
            } else if (line.startsWith("; ")) {
                entries.add(Map.of("source", line.substring(2)));
            } else if ((m = SYMBOL.matcher(line)).matches()) {
                entries.add(Map.of("symbol", m.group(1)));
            } else if ((m = INSTRUCTION.matcher(line)).matches()) {
                entries.add(Map.of("offset", Long.parseLong(m.group(1)), "bytes", m.group(2).strip(), "text", m.group(3)));
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", file.toString());
        doc.put("sections", sections);
        return doc;
    }
}
