package io.bpfstore.bytecode.btf;

/**
 * A {@code bpf_func_info} record: the function that starts at an instruction of an ELF section.
 *
 * @param byteOffset byte offset of the function's first instruction in its ELF section (the unit of ELF
 *                   objects; the kernel wants instruction indexes, see {@link #instruction()})
 * @param typeId     the function's FUNC type id
 * @param name       the FUNC's name
 */
public record FuncInfo(long byteOffset, int typeId, String name) {
    /** Index of the function's first instruction in its section (8-byte instructions). */
    public long instruction() {
        return byteOffset / 8;
    }
}
