package io.bpfstore.analysis.cfg;

import io.bpfstore.bytecode.asm.InstructionAt;
import io.bpfstore.bytecode.object.Function;
import java.util.List;

/**
 * A basic block of one inlined copy of a function: straight-line instructions entered only at the first.
 *
 * @param id           index in {@link ControlFlowGraph#blocks()}
 * @param function     the function the instructions belong to
 * @param depth        call depth of this copy (0 for the entry program)
 * @param callSite     the chain of call-site slots that led to this copy, outermost first (empty at depth 0);
 *                     tells two inlined copies of one function apart
 * @param instructions the instructions, slots relative to {@code function}
 */
public record Block(int id, Function function, int depth, List<Integer> callSite, List<InstructionAt> instructions) {
    /** Copies the lists. */
    public Block {
        callSite = List.copyOf(callSite);
        instructions = List.copyOf(instructions);
    }

    /** Slot of the first instruction. */
    public int firstSlot() {
        return instructions.getFirst().slot();
    }

    /** The last instruction (a jump, exit or call when the block ends in one). */
    public InstructionAt last() {
        return instructions.getLast();
    }
}
