package io.bpfstore.bytecode.asm;

/**
 * Indirect call {@code callx reg} (opcode 0x8d, CALL|X), as LLVM encodes it: the register is in the destination
 * field. Not in RFC 9669 and rejected by today's kernels, but LLVM emits it for calls through pointers.
 *
 * @param register holds the callee's address
 */
public record CallRegister(Register register) implements Instruction {
    /** Checks presence. */
    public CallRegister {
        Fields.present("register", register);
    }
}
