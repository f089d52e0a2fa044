package io.bpfstore.bytecode.asm;

/**
 * Call of a kernel function (opcode 0x85, source register 2, {@code BPF_PSEUDO_KFUNC_CALL}).
 *
 * @param btfId       BTF id of the function's {@code FUNC} type (0 with a relocation in objects)
 * @param moduleIndex the offset field: 0 for vmlinux, else an index into the fd array of module BTF objects
 */
public record CallKfunc(int btfId, int moduleIndex) implements Instruction {
    /** The source register value that makes a call a kfunc call ({@code BPF_PSEUDO_KFUNC_CALL}). */
    public static final int SRC_REG = 2;

    /** Checks the range. */
    public CallKfunc {
        Fields.offset16("kfunc module index", moduleIndex);
    }
}
