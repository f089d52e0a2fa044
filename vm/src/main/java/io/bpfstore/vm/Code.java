package io.bpfstore.vm;

import io.bpfstore.bytecode.asm.Instruction;
import java.util.List;
import java.util.Objects;

/**
 * A program ready to run: its instructions by slot (the second slot of a 64-bit load is {@code null}), with
 * every {@link io.bpfstore.bytecode.asm.LoadImm64} already resolved to a plain constant by whoever loaded it
 * (map handles, map value addresses, callback addresses).
 *
 * @param name  the program's name, for faults and results
 * @param slots the instructions, indexed by slot
 * @param base  the address of slot 0 (a callback's address is {@code base + slot}; 0 when nothing takes one)
 */
public record Code(String name, Instruction[] slots, long base) {
    /** Checks the arguments. */
    public Code {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(slots, "slots");
    }

    /** Lays out {@code instructions} in slots. */
    public static Code of(String name, List<? extends Instruction> instructions) {
        int total = instructions.stream().mapToInt(Instruction::slots).sum();
        Instruction[] slots = new Instruction[total];
        int at = 0;
        for (Instruction instruction : instructions) {
            slots[at] = instruction;
            at += instruction.slots();
        }
        return new Code(name, slots, 0);
    }

    /** Number of slots. */
    public int length() {
        return slots.length;
    }
}
