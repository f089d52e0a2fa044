package io.bpfstore.bytecode.asm;

/**
 * Operand width of arithmetic and conditional jumps: the instruction classes ALU and JMP32 work on the low 32
 * bits ({@code wN} in LLVM syntax), ALU64 and JMP on all 64 ({@code rN}).
 */
public enum Width {
    /** 32-bit: class ALU for arithmetic (results zero-extended), JMP32 for jumps. */
    W32,
    /** 64-bit: class ALU64 for arithmetic, JMP for jumps. */
    W64
}
