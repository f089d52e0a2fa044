package io.bpfstore.bytecode.object;

import io.bpfstore.bytecode.asm.Disassembler;
import io.bpfstore.bytecode.btf.LineInfo;
import io.bpfstore.bytecode.elf.Section;
import io.bpfstore.bytecode.elf.Symbol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The disassembly of a whole object in {@code llvm-objdump-19 -d} form, optionally with the source line of
 * each instruction from BTF line info interleaved ({@code ; source @ file:line:column}, as bpftool prints it).
 */
public final class ObjectDisassembly {
    private static final Pattern INSTRUCTION = Pattern.compile("^\\s*(\\d+):\\t");

    private ObjectDisassembly() {
    }

    /**
     * The listing lines of every non-empty code section.
     *
     * @param object     the object
     * @param fileName   the name printed in the header line, as llvm-objdump prints the path it was given
     * @param dialect    which llvm-objdump configuration to match
     * @param withSource whether to interleave source lines from {@code .BTF.ext} line info
     */
    public static List<String> lines(BpfObject object, String fileName, Disassembler.Dialect dialect,
                                     boolean withSource) {
        Disassembler disassembler = new Disassembler(dialect);
        List<String> out = new ArrayList<>();
        out.add("");
        out.add(fileName + ":\tfile format elf64-bpf");
        for (Section s : object.elf().sections()) {
            if (!s.isExecutable() || s.size() == 0) {
                continue;
            }
            out.add("");
            out.add("Disassembly of section " + s.name() + ":");
            List<Disassembler.Symbol> symbols = object.elf().symbols().stream()
                    .filter(y -> y.sectionIndex() == s.index() && y.type() != Symbol.STT_SECTION
                            && y.type() != Symbol.STT_OBJECT && !y.name().isEmpty())
                    .map(y -> new Disassembler.Symbol(y.name(), y.value())).toList();
            List<String> listing = disassembler.listing(s.name(), s.bytes(), object.order(), symbols);
            if (!withSource || object.btfExt().isEmpty()) {
                out.addAll(listing);
                continue;
            }
            LineInfo previous = null;
            for (String line : listing) {
                Matcher m = INSTRUCTION.matcher(line);
                if (m.find()) {
                    Optional<LineInfo> info = object.btfExt().get().lineAt(s.name(), Long.parseLong(m.group(1)));
                    if (info.isPresent() && !info.get().equals(previous)) {
                        LineInfo l = info.get();
                        out.add("; " + l.source().strip() + " @ " + l.fileName() + ":" + l.line() + ":" + l.column());
                        previous = l;
                    }
                }
                out.add(line);
            }
        }
        return out;
    }
}
