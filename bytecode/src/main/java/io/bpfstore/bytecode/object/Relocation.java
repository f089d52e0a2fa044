package io.bpfstore.bytecode.object;

/**
 * A relocation of one instruction of a program, resolved to the symbol it names: what the loader must patch
 * before the kernel sees the program.
 *
 * @param instruction index of the patched instruction (in 8-byte slots from the start of the function)
 * @param kind        what the instruction refers to
 * @param symbol      the referenced symbol's name (for section symbols, the section's name)
 * @param section     the section the symbol lives in, or empty for an extern
 * @param offset      byte offset inside {@code section} the instruction points at (symbol value plus addend)
 */
public record Relocation(int instruction, Kind kind, String symbol, String section, long offset) {
    /** What a relocated instruction refers to. */
    public enum Kind {
        /** ld_imm64 of a map defined in {@code .maps} or the legacy {@code maps} section. */
        MAP,
        /** ld_imm64 of a variable in global data ({@code .data}, {@code .rodata*}, {@code .bss*}). */
        GLOBAL_DATA,
        /** bpf-to-bpf call, or ld_imm64 of a function address (callbacks), to a subprogram. */
        SUBPROGRAM,
        /** Call of, or ld_imm64 of, a symbol defined elsewhere: a kfunc, a ksym or a {@code .kconfig} value. */
        EXTERN,
    }
}
