package io.bpfstore.analysis.domain;

import io.bpfstore.analysis.cfg.Block;
import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.asm.InstructionAt;
import io.bpfstore.bytecode.object.Function;

/**
 * An instruction of a program, named for evidence.
 *
 * @param function    the function's name
 * @param section     the ELF section the function sits in
 * @param sectionSlot the instruction's slot counted from the start of its section (as BTF line info counts)
 * @param slot        the instruction's slot within its function
 * @param instruction the instruction
 */
public record Site(String function, String section, long sectionSlot, int slot, Instruction instruction) {
    /** The site of {@code at} in {@code block}. */
    public static Site of(Block block, InstructionAt at) {
        Function f = block.function();
        return new Site(f.name(), f.section(), f.offset() / 8 + at.slot(), at.slot(), at.instruction());
    }

    /** Equal sites have equal function and slot: enough for a hash (sites are hashed in every effect set). */
    @Override
    public int hashCode() {
        return function.hashCode() * 31 + slot;
    }

    /** The cheap components first: most sites compared differ in their slot. */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Site s && s.slot == slot && s.sectionSlot == sectionSlot
                && s.function.equals(function) && s.section.equals(section) && s.instruction.equals(instruction);
    }

    @Override
    public String toString() {
        return function + ", insn " + slot;
    }
}
