package io.bpfstore.vm;

/**
 * A program did something the kernel would not let it do at run time (an access out of bounds, a call into
 * nothing, more instructions than the budget): the run stops at that instruction.
 */
public final class VmFault extends RuntimeException {
    private final String program;
    private final int slot;

    /**
     * @param program the program's name
     * @param slot    the instruction slot (8-byte units from the start of the program)
     * @param reason  what went wrong, in one line
     */
    public VmFault(String program, int slot, String reason) {
        super(program + " instruction " + slot + ": " + reason);
        this.program = program;
        this.slot = slot;
    }

    /** The program's name. */
    public String program() {
        return program;
    }

    /** The slot of the faulting instruction. */
    public int slot() {
        return slot;
    }
}
