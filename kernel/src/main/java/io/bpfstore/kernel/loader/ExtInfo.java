package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.elf.Section;
import io.bpfstore.bytecode.object.BpfObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw {@code bpf_func_info} and {@code bpf_line_info} records of {@code .BTF.ext}, per ELF section, with their
 * string offsets kept as the kernel wants them (the bytecode model resolves them to text). Offsets are converted
 * from section bytes to instruction slots, as BPF_PROG_LOAD expects once rebased to the program.
 */
final class ExtInfo {
    /** One record: the instruction slot in its section, then the remaining fields as the kernel defines them. */
    record Record(int slot, int[] fields) {
    }

    private final Map<String, List<Record>> funcs;
    private final Map<String, List<Record>> lines;

    private ExtInfo(Map<String, List<Record>> funcs, Map<String, List<Record>> lines) {
        this.funcs = funcs;
        this.lines = lines;
    }

    static ExtInfo empty() {
        return new ExtInfo(Map.of(), Map.of());
    }

    /** Reads the records; the object's {@code BtfExt} model has already checked every bound. */
    static ExtInfo read(BpfObject object) {
        var section = object.elf().section(".BTF.ext");
        if (section.isEmpty() || object.btf().isEmpty() || object.btfExt().isEmpty()) {
            return empty();
        }
        Btf btf = object.btf().get();
        ByteBuffer b = ByteBuffer.wrap(section.map(Section::bytes).get()).order(ByteOrder.LITTLE_ENDIAN);
        int hdrLen = b.getInt(4);
        Map<String, List<Record>> funcs = blocks(b, btf, hdrLen + b.getInt(8), b.getInt(12), 1);
        Map<String, List<Record>> lines = blocks(b, btf, hdrLen + b.getInt(16), b.getInt(20), 3);
        return new ExtInfo(funcs, lines);
    }

    private static Map<String, List<Record>> blocks(ByteBuffer b, Btf btf, int start, int len, int extraFields) {
        Map<String, List<Record>> out = new HashMap<>();
        if (len == 0) {
            return out;
        }
        int recSize = b.getInt(start);
        int pos = start + 4;
        int end = start + len;
        while (pos < end) {
            String name = btf.string(Integer.toUnsignedLong(b.getInt(pos))).orElse("");
            int count = b.getInt(pos + 4);
            List<Record> records = out.computeIfAbsent(name, k -> new ArrayList<>());
            for (int i = 0; i < count; i++) {
                int r = pos + 8 + i * recSize;
                int[] fields = new int[extraFields];
                for (int f = 0; f < extraFields; f++) {
                    fields[f] = b.getInt(r + 4 + 4 * f);
                }
                records.add(new Record(b.getInt(r) / InstructionBuffer.SLOT, fields));
            }
            pos += 8 + count * recSize;
        }
        return out;
    }

    /** Function records of {@code section}. */
    List<Record> funcs(String section) {
        return funcs.getOrDefault(section, List.of());
    }

    /** Line records of {@code section}. */
    List<Record> lines(String section) {
        return lines.getOrDefault(section, List.of());
    }
}
