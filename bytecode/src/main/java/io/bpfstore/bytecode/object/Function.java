package io.bpfstore.bytecode.object;

import io.bpfstore.bytecode.asm.InstructionAt;
import java.util.List;

/**
 * One function of an object's code: an entry program or a subprogram. Instruction slots in {@link #instructions()}
 * count from the start of the function, not of its section.
 *
 * @param name         the function's symbol name (or, for objects without function symbols, the section name)
 * @param section      the ELF section holding it
 * @param offset       byte offset of its first instruction inside {@code section}
 * @param instructions the decoded instructions, slots relative to the function
 * @param relocations  what the loader must patch, resolved to symbols
 * @param global       whether the symbol is global (a global subprogram is verified on its own by the kernel)
 */
public record Function(String name, String section, long offset, List<InstructionAt> instructions,
                       List<Relocation> relocations, boolean global) {
    /** Copies the lists. */
    public Function {
        instructions = List.copyOf(instructions);
        relocations = List.copyOf(relocations);
    }

    /** Number of 8-byte instruction slots (a 64-bit immediate load counts two). */
    public int slots() {
        if (instructions.isEmpty()) {
            return 0;
        }
        InstructionAt last = instructions.getLast();
        return last.slot() + last.instruction().slots();
    }
}
