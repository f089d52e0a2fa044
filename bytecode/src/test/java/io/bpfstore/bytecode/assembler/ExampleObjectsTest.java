package io.bpfstore.bytecode.assembler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.bpfstore.bytecode.asm.CallHelper;
import io.bpfstore.bytecode.asm.CallKfunc;
import io.bpfstore.bytecode.asm.CallLocal;
import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.asm.InstructionAt;
import io.bpfstore.bytecode.asm.InstructionCodec;

import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * What llvm-objdump prints for the project's compiled example objects, in llvm-objdump-19's hexadecimal style
 * and llvm-objdump 14's decimal style, assembles back to the instructions of each code section (read with
 * llvm-objcopy). Calls print alike whatever kind they are, so a bpf-to-bpf or kfunc call comes back as a helper
 * call with the same immediate; nothing else may differ.
 */
class ExampleObjectsTest {
    @Test
    void objdumpTextOfExampleObjectsAssemblesToTheirCode() throws IOException {
        List<Path> objects = ExampleObjects.topLevel();
        int sections = 0;
        for (Path object : objects) {
            for (String objdump : List.of("llvm-objdump-19", "llvm-objdump")) {
                Map<String, String> texts = sections(ExternalTool.output(objdump, "-d", object.toString()));
                for (Map.Entry<String, String> e : texts.entrySet()) {
                    String source = object.getFileName() + " " + e.getKey() + " (" + objdump + ")";
                    List<Instruction> assembled = LlvmAssembler.assemble(source, e.getValue());
                    List<Instruction> expected = InstructionCodec.decode(sectionBytes(object, e.getKey()),
                            ByteOrder.LITTLE_ENDIAN, e.getKey()).stream().map(InstructionAt::instruction)
                            .map(ExampleObjectsTest::asPrinted).toList();
                    assertEquals(expected, assembled, source);
                    sections++;
                }
            }
        }
        assertFalse(sections == 0, "no code sections in " + objects);
    }

    /** The instruction llvm-objdump's text stands for: every call reads as a helper call. */
    private static Instruction asPrinted(Instruction i) {
        return switch (i) {
            case CallLocal c -> new CallHelper(c.offset());
            case CallKfunc c -> new CallHelper(c.btfId());
            default -> i;
        };
    }

    /** Section name to the instruction texts of its listing, one per line. */
    private static Map<String, String> sections(String listing) {
        Map<String, StringBuilder> texts = new LinkedHashMap<>();
        StringBuilder current = null;
        for (String line : listing.lines().toList()) {
            if (line.startsWith("Disassembly of section ")) {
                current = new StringBuilder();
                texts.put(line.substring("Disassembly of section ".length(), line.length() - 1), current);
            } else if (current != null && line.matches("\\s*\\d+:\t.*")) {
                String[] columns = line.split("\t");
                current.append(columns[columns.length - 1]).append('\n');
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        texts.forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }

    private static byte[] sectionBytes(Path object, String section) {
        try {
            Path out = Files.createTempFile("section", ".bin");
            try {
                ExternalTool.output("llvm-objcopy-19", "-O", "binary", "--only-section=" + section, object.toString(),
                        out.toString());
                return Files.readAllBytes(out);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
