package io.bpfstore.bytecode.btf;

/**
 * What a CO-RE relocation asks the loader to compute, numbered as the kernel's {@code enum bpf_core_relo_kind}
 * ({@code include/uapi/linux/bpf.h}).
 */
public enum CoreRelocationKind {
    /** Byte offset of a field. */
    FIELD_BYTE_OFFSET(0),
    /** Size of a field in bytes. */
    FIELD_BYTE_SIZE(1),
    /** Whether a field exists in the target kernel. */
    FIELD_EXISTS(2),
    /** Whether a field is signed. */
    FIELD_SIGNED(3),
    /** Left shift that isolates a bitfield in a u64. */
    FIELD_LSHIFT_U64(4),
    /** Right shift that isolates a bitfield in a u64. */
    FIELD_RSHIFT_U64(5),
    /** The type's id in the program's own BTF. */
    TYPE_ID_LOCAL(6),
    /** The type's id in the target kernel's BTF. */
    TYPE_ID_TARGET(7),
    /** Whether the type exists in the target kernel. */
    TYPE_EXISTS(8),
    /** Size of the type in the target kernel. */
    TYPE_SIZE(9),
    /** Whether an enumerator exists in the target kernel. */
    ENUMVAL_EXISTS(10),
    /** Value of an enumerator in the target kernel. */
    ENUMVAL_VALUE(11),
    /** Whether the target kernel's type matches the local one (libbpf's "type match" rules). */
    TYPE_MATCHES(12);

    private static final CoreRelocationKind[] BY_NUMBER = values();

    private final int number;

    CoreRelocationKind(int number) {
        this.number = number;
    }

    /** The kernel's {@code BPF_CORE_*} number. */
    public int number() {
        return number;
    }

    /** The kind numbered {@code number}, or {@code null} for numbers this reader does not know. */
    static CoreRelocationKind ofNumber(long number) {
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[(int) number] : null;
    }
}
