/**
 * The eBPF instruction set: an immutable model ({@link io.bpfstore.bytecode.asm.Instruction} and its records),
 * the exact binary codec ({@link io.bpfstore.bytecode.asm.InstructionCodec}) and a disassembler that prints
 * what {@code llvm-objdump-19 -d} prints ({@link io.bpfstore.bytecode.asm.Disassembler}).
 *
 * <p>The model covers RFC 9669 and what LLVM 19 emits beyond it ({@code may_goto}, {@code addr_space_cast},
 * {@code callx}). One record per encoding form; each holds exactly the fields its encoding leaves free, so a
 * decoded program re-encodes to the same bytes. Decoding rejects, with an
 * {@link io.bpfstore.bytecode.asm.InvalidInstructionException} naming section and byte offset, every
 * encoding whose unused fields are not zero (RFC 9669 section 3), whose register fields exceed r10, or whose
 * opcode neither the RFC nor LLVM defines. That is stricter than llvm-objdump, which prints some such
 * encodings while ignoring the offending field (e.g. {@code b7 10 ...}, a {@code mov} with a source register,
 * prints as {@code r0 = 0x1}); compilers never emit them and the kernel's verifier rejects them.
 *
 * <p>The disassembler reproduces {@code llvm-objdump-19 -d} exactly, in two dialects: without options (generic
 * CPU) and with {@code --mcpu=v3}/{@code v4}, which differ only in sub-register names of loads, stores and 32-bit
 * atomics. llvm-objdump-19 decodes ISA v4 instructions without any option. Tests compare both dialects with the
 * real tool on every example object and on sources under {@code src/test/resources/asm}.
 *
 * <p>Traps:
 * <ul>
 *   <li><b>A 64-bit immediate load takes two slots.</b> Slot numbers are not instruction indexes: after a
 *       {@link io.bpfstore.bytecode.asm.LoadImm64} the next instruction sits two slots further on. Decoded
 *       instructions carry their slot ({@link io.bpfstore.bytecode.asm.InstructionAt}).</li>
 *   <li><b>Jump and call offsets count slots, from the next instruction.</b> A branch at slot {@code s} with
 *       offset {@code o} goes to slot {@code s + 1 + o}; a {@code ld_imm64} in between counts twice. The same
 *       holds for bpf-to-bpf calls, whose offset is in the immediate, and for {@code gotol}, whose 32-bit offset
 *       is in the immediate rather than the 16-bit offset field.</li>
 *   <li><b>Big-endian objects swap the register nibbles</b> as well as the bytes of offset and immediate: the
 *       destination register is the high nibble of byte 1 on bpfeb, the low nibble on bpfel.</li>
 *   <li><b>Signed division, modulo and sign-extending moves hide in the offset field</b> of the unsigned
 *       opcodes; an instruction's meaning is not decided by its opcode byte alone.</li>
 *   <li><b>Relocatable objects hold placeholders</b> (map loads with immediate 0, calls with -1); this package
 *       decodes the raw bytes and applies no relocations.</li>
 * </ul>
 */
package io.bpfstore.bytecode.asm;
