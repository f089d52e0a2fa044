package io.bpfstore.bytecode.asm;

/**
 * Call of a kernel helper function (opcode 0x85, source register 0), e.g. 1 for {@code bpf_map_lookup_elem}.
 *
 * @param helper the helper's number ({@code BPF_FUNC_*})
 */
public record CallHelper(int helper) implements Instruction {
}
