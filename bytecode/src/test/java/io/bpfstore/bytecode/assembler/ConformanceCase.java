package io.bpfstore.bytecode.assembler;

import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.asm.InstructionAt;
import io.bpfstore.bytecode.asm.InstructionCodec;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One test of the bpf_conformance suite, as read from its {@code .data} file: the program (assembly, raw
 * instruction bytes, or both), the memory the program gets (r1 points to it, r2 holds its length) and what the
 * run must give: r0, or an error.
 *
 * <p>The file format: {@code #} comment lines, then sections each opened by a line {@code -- <name>}:
 * {@code asm} (the {@link ConformanceAssembler} dialect), {@code raw} (instructions in hexadecimal, one per
 * line, either as eight bytes {@code 07 00 01 00 01 00 00 00} or as one little-endian 64-bit number
 * {@code 0x5566778800000018}), {@code mem} (bytes in hexadecimal), {@code result} (r0, a hexadecimal number, the {@code 0x} optional),
 * {@code error} (the expected error message, possibly empty). The sections {@code c} (the C source the
 * assembly was compiled from) and {@code no register offset} (notes for runners) carry no data a run needs and
 * are kept as text only.
 *
 * @param name           the test's name (its file name)
 * @param asm            the assembly text, if the file has an {@code asm} section, preceded by empty lines
 *                       so that line numbers in errors are those of the file
 * @param raw            the instruction bytes of the {@code raw} section, if any (copied on access)
 * @param memory         the input memory, empty if none (copied on access)
 * @param result         the expected r0, if given
 * @param expectedError  the expected error message, if an error is expected (may be empty)
 * @param notes          the text of the {@code c} and {@code no register offset} sections, by name
 */
public record ConformanceCase(String name, Optional<String> asm, Optional<byte[]> raw, byte[] memory,
                              OptionalLong result, Optional<String> expectedError, Map<String, String> notes) {

    /** Copies the arrays and checks that there is a program. */
    public ConformanceCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(asm, "asm");
        raw = Objects.requireNonNull(raw, "raw").map(byte[]::clone);
        memory = Objects.requireNonNull(memory, "memory").clone();
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(expectedError, "expectedError");
        notes = Map.copyOf(Objects.requireNonNull(notes, "notes"));
        if (asm.isEmpty() && raw.isEmpty()) {
            throw new IllegalArgumentException("a test needs an asm or a raw section");
        }
    }

    /** The instruction bytes of the {@code raw} section, if any, as a copy. */
    @Override
    public Optional<byte[]> raw() {
        return raw.map(byte[]::clone);
    }

    /** The input memory, as a copy; empty if the test has none. */
    @Override
    public byte[] memory() {
        return memory.clone();
    }

    /**
     * The program: the assembly if there is one, else the decoded raw bytes.
     *
     * @throws AssemblyException if the assembly is wrong
     * @throws io.bpfstore.bytecode.asm.InvalidInstructionException if the raw bytes do not decode
     */
    public List<Instruction> program() {
        if (asm.isPresent()) {
            return ConformanceAssembler.assemble(name, asm.get());
        }
        return InstructionCodec.decode(raw.get(), ByteOrder.LITTLE_ENDIAN, name).stream()
                .map(InstructionAt::instruction).toList();
    }

    /** The program's bytes, little-endian: the assembled asm section, else the raw section. */
    public byte[] bytes() {
        return asm.isPresent()
                ? InstructionCodec.encode(program(), ByteOrder.LITTLE_ENDIAN)
                : raw.get().clone();
    }

    /**
     * Reads a {@code .data} file.
     *
     * @param name the test's name, used in errors
     * @param text the file's content
     * @throws AssemblyException for an unknown or repeated section, malformed hexadecimal, or a file without
     *                           program
     */
    public static ConformanceCase parse(String name, String text) {
        Objects.requireNonNull(name, "name");
        String[] lines = text.split("\n", -1);
        Map<String, StringBuilder> sections = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        StringBuilder current = null;
        String currentName = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.startsWith("-- ")) {
                currentName = line.substring(3).strip();
                if (!List.of("asm", "raw", "mem", "result", "error", "c", "no register offset")
                        .contains(currentName)) {
                    throw new AssemblyException(name, i + 1, 4, "unknown section '" + currentName + "'");
                }
                if (sections.containsKey(currentName)) {
                    throw new AssemblyException(name, i + 1, 4, "section '" + currentName + "' appears twice");
                }
                current = new StringBuilder();
                sections.put(currentName, current);
                firstLine.put(currentName, i + 2);
                continue;
            }
            if (current == null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    throw new AssemblyException(name, i + 1, 1, "text before the first section: '" + line + "'");
                }
                continue;
            }
            // The assembly keeps every line so that error positions match the file.
            current.append(line).append('\n');
        }
        if (!sections.containsKey("asm") && !sections.containsKey("raw")) {
            throw new AssemblyException(name, Math.max(1, lines.length), 1,
                    "no program: the file has neither an asm nor a raw section");
        }
        Optional<String> asm = Optional.ofNullable(sections.get("asm")).map(b -> padded(firstLine.get("asm"), b));
        Optional<byte[]> raw = Optional.ofNullable(sections.get("raw"))
                .map(b -> raw(name, firstLine.get("raw"), b.toString()));
        byte[] memory = sections.containsKey("mem")
                ? bytes(name, firstLine.get("mem"), sections.get("mem").toString())
                : new byte[0];
        OptionalLong result = sections.containsKey("result")
                ? result(name, firstLine.get("result"), sections.get("result").toString())
                : OptionalLong.empty();
        Optional<String> error = Optional.ofNullable(sections.get("error")).map(b -> b.toString().strip());
        Map<String, String> notes = new LinkedHashMap<>();
        for (String note : List.of("c", "no register offset")) {
            if (sections.containsKey(note)) {
                notes.put(note, sections.get(note).toString());
            }
        }
        return new ConformanceCase(name, asm, raw, memory, result, error, notes);
    }

    /** The section's text preceded by empty lines, so that assembly errors name lines of the file. */
    private static String padded(int firstLine, StringBuilder section) {
        return "\n".repeat(firstLine - 1) + section;
    }

    private static byte[] raw(String name, int firstLine, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("0x")) {
                long value = hex(name, firstLine + i, line.substring(2), 64);
                for (int b = 0; b < 8; b++) {
                    out.write((int) (value >>> (8 * b)));
                }
            } else {
                byte[] bytes = bytes(name, firstLine + i, line);
                if (bytes.length != InstructionCodec.SLOT_SIZE) {
                    throw new AssemblyException(name, firstLine + i, 1,
                            "a raw instruction has 8 bytes, not " + bytes.length);
                }
                out.writeBytes(bytes);
            }
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String name, int firstLine, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.strip().startsWith("#")) {
                continue;
            }
            int column = 0;
            for (String token : line.split(" ", -1)) {
                column += 1;
                if (!token.isBlank()) {
                    String t = token.strip();
                    if (t.length() != 2) {
                        throw new AssemblyException(name, firstLine + i, column,
                                "expected a byte as two hexadecimal digits but found '" + t + "'");
                    }
                    out.write((int) hex(name, firstLine + i, t, 8));
                }
                column += token.length();
            }
        }
        return out.toByteArray();
    }

    private static OptionalLong result(String name, int firstLine, String text) {
        String[] lines = text.strip().split("\n");
        if (lines.length != 1 || lines[0].isBlank()) {
            throw new AssemblyException(name, firstLine, 1, "the result section holds one hexadecimal number");
        }
        String value = lines[0].strip();
        // Hexadecimal with or without the 0x prefix, as the suite's own runner reads it.
        return OptionalLong.of(hex(name, firstLine, value.startsWith("0x") ? value.substring(2) : value, 64));
    }

    private static long hex(String name, int line, String digits, int bits) {
        if (digits.isEmpty() || !digits.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw new AssemblyException(name, line, 1, "malformed hexadecimal number '" + digits + "'");
        }
        BigInteger value = new BigInteger(digits, 16);
        if (value.bitLength() > bits) {
            throw new AssemblyException(name, line, 1, "0x" + digits + " does not fit " + bits + " bits");
        }
        return value.longValue();
    }
}
