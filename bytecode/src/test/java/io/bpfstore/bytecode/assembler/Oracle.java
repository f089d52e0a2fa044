package io.bpfstore.bytecode.assembler;

import io.bpfstore.bytecode.asm.Disassembler;
import io.bpfstore.testsupport.ExternalTool;
import io.bpfstore.testsupport.ScratchDirectory;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches many programs into one llvm-mc / llvm-objdump run: programs are laid out one after another in the
 * {@code .text} section of one object, each starting at a symbol {@code p<index>}.
 */
public final class Oracle {
    private Oracle() {
    }

    /** Symbol name of program {@code index}. */
    static String symbol(int index) {
        return "p" + index;
    }

    /** The programs concatenated. */
    static byte[] concat(List<byte[]> programs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        programs.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Symbols at the start of each program, for {@link Disassembler#listing}. */
    static List<Disassembler.Symbol> symbols(List<byte[]> programs) {
        List<Disassembler.Symbol> symbols = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < programs.size(); i++) {
            symbols.add(new Disassembler.Symbol(symbol(i), offset));
            offset += programs.get(i).length;
        }
        return symbols;
    }

    /** Assembles {@code source} with llvm-mc-19 (bpfel, ISA v4) and returns the bytes of its .text section. */
    public static byte[] llvmMc(String source) {
        return ScratchDirectory.in("oracle", dir -> {
            Path s = dir.resolve("in.s");
            Path o = dir.resolve("out.o");
            Path bin = dir.resolve("text.bin");
            Files.writeString(s, source);
            ExternalTool.output("llvm-mc-19", "-triple", "bpfel", "-mcpu=v4", "-filetype=obj", s.toString(),
                    "-o", o.toString());
            ExternalTool.output("llvm-objcopy-19", "-O", "binary", "--only-section=.text", o.toString(), bin.toString());
            return Files.readAllBytes(bin);
        });
    }

    /**
     * Puts the programs into one object (built by llvm-mc from {@code .byte} directives, so nothing is
     * re-encoded) and returns what {@code objdump -d <options>} prints after the section header line.
     */
    public static List<String> objdump(List<byte[]> programs, String... objdump) {
        StringBuilder s = new StringBuilder("\t.text\n");
        for (int i = 0; i < programs.size(); i++) {
            s.append(symbol(i)).append(":\n");
            byte[] p = programs.get(i);
            for (int at = 0; at < p.length; at += 8) {
                s.append("\t.byte ");
                for (int b = at; b < at + 8; b++) {
                    s.append(b > at ? "," : "").append(p[b] & 0xff);
                }
                s.append('\n');
            }
        }
        return ScratchDirectory.in("oracle", dir -> {
            Path src = dir.resolve("in.s");
            Path o = dir.resolve("out.o");
            Files.writeString(src, s);
            ExternalTool.output("llvm-mc-19", "-triple", "bpfel", "-filetype=obj", src.toString(), "-o", o.toString());
            List<String> command = new ArrayList<>(List.of(objdump));
            command.add(o.toString());
            String out = ExternalTool.output(command.toArray(String[]::new));
            List<String> lines = new ArrayList<>(out.lines().toList());
            int header = lines.indexOf("Disassembly of section .text:");
            if (header < 0) {
                throw new AssertionError("no .text section in the output of " + command + ":\n" + out);
            }
            List<String> body = new ArrayList<>(lines.subList(header + 1, lines.size()).stream()
                    .map(String::stripTrailing).toList());
            while (!body.isEmpty() && body.getLast().isEmpty()) {
                body.removeLast();
            }
            return body;
        });
    }
}
