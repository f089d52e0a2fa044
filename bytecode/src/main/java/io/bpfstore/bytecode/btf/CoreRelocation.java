package io.bpfstore.bytecode.btf;

/**
 * A {@code bpf_core_relo} record: an instruction whose immediate or offset the loader must fix up for the target
 * kernel's types.
 *
 * @param byteOffset   byte offset of the instruction in its ELF section
 * @param typeId       the root type in the program's own BTF
 * @param accessString the access path, e.g. {@code "0:1:2"} (member indexes; for enum kinds the enumerator index)
 * @param kind         what to compute
 */
public record CoreRelocation(long byteOffset, int typeId, String accessString, CoreRelocationKind kind) {
    /** Index of the instruction in its section (8-byte instructions). */
    public long instruction() {
        return byteOffset / 8;
    }
}
