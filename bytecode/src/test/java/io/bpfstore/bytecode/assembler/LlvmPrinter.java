package io.bpfstore.bytecode.assembler;

import io.bpfstore.bytecode.asm.CallLocal;
import io.bpfstore.bytecode.asm.Disassembler;
import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.asm.LoadImm64;
import io.bpfstore.bytecode.asm.LoadIndirect;
import io.bpfstore.bytecode.asm.Pseudo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Prints a program as text that {@link LlvmAssembler} turns back into the same instructions: the
 * {@link Disassembler} text (ALU32 dialect, as {@code llvm-objdump-19 --mcpu=v4}) for every instruction whose
 * printed form determines its encoding, and a lossless form for the few that llvm-objdump prints ambiguously.
 *
 * <p>Those are: a bpf-to-bpf call, which llvm-objdump prints like a helper call ({@code call 0x12}), printed
 * here as {@code call <prefix>L<slot>} with a label line {@code <prefix>L<slot>:} before the callee, which
 * llvm-mc reads too; a map-value load with its second immediate, printed in PREVAIL's syntax
 * ({@code map_val(fd) + offset}, {@code mva(map_by_idx(index)) + offset}) or, for other pseudo sources, as
 * {@code ld_pseudo} with the second immediate as fourth operand; and a packet load with register and constant,
 * printed {@code skb[r2 + 0x4]}. Branches keep their relative offsets ({@code goto +0x3}).
 *
 * <p>Kfunc calls remain lossy: llvm-objdump prints them like helper calls, and neither dialect has a form that
 * names the module index. So do bpf-to-bpf calls whose target is no place a label can stand (outside the
 * program, or the second half of a 64-bit load): they print as llvm-objdump prints them.
 */
public final class LlvmPrinter {
    private static final Disassembler TEXT = new Disassembler(Disassembler.Dialect.ALU32);

    private LlvmPrinter() {
    }

    /**
     * The program's lines: instructions indented by a tab, label definitions at column 1.
     *
     * @param program     the instructions
     * @param labelPrefix prefix of generated label names, to keep them unique when several programs share one
     *                    source
     */
    public static List<String> print(List<? extends Instruction> program, String labelPrefix) {
        Objects.requireNonNull(labelPrefix, "labelPrefix");
        // Labels can only stand where an instruction starts, or at the end.
        Set<Long> starts = new HashSet<>();
        long slot = 0;
        for (Instruction instruction : program) {
            starts.add(slot);
            slot += instruction.slots();
        }
        starts.add(slot);
        Set<Long> targets = new HashSet<>();
        slot = 0;
        for (Instruction instruction : program) {
            if (instruction instanceof CallLocal call && starts.contains(call.target(slot))) {
                targets.add(call.target(slot));
            }
            slot += instruction.slots();
        }
        List<String> lines = new ArrayList<>();
        slot = 0;
        for (Instruction instruction : program) {
            if (targets.contains(slot)) {
                lines.add(labelPrefix + "L" + slot + ":");
            }
            long at = slot;
            String text = switch (instruction) {
                case CallLocal call when targets.contains(call.target(at)) ->
                        "call " + labelPrefix + "L" + call.target(at);
                case LoadImm64 l when l.pseudo() != Pseudo.NONE && l.nextImm() != 0 -> pseudo(l);
                case LoadIndirect l when l.imm() != 0 -> "r0 = *(u" + l.size().bytes() * 8 + " *)skb[r"
                        + l.src().number() + (l.imm() < 0 ? " - " : " + ") + hex(Math.abs((long) l.imm())) + "]";
                default -> TEXT.text(instruction);
            };
            lines.add("\t" + text);
            slot += instruction.slots();
        }
        if (targets.contains(slot)) {
            lines.add(labelPrefix + "L" + slot + ":");
        }
        return List.copyOf(lines);
    }

    private static String pseudo(LoadImm64 l) {
        String dst = "r" + l.dst().number();
        return switch (l.pseudo()) {
            case MAP_VALUE -> dst + " = map_val(" + l.imm() + ") + " + l.nextImm();
            case MAP_IDX_VALUE -> dst + " = mva(map_by_idx(" + l.imm() + ")) + " + l.nextImm();
            default -> "ld_pseudo\t" + dst + ", " + hex(l.pseudo().code()) + ", " + hex(l.imm()) + ", "
                    + hex(l.nextImm());
        };
    }

    private static String hex(long value) {
        return value < 0 ? "-0x" + Long.toHexString(-value) : "0x" + Long.toHexString(value);
    }
}
