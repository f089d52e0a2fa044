package io.bpfstore.bytecode.btf;

/**
 * What a CO-RE relocation asks the loader to compute, numbered as the kernel's {@code enum bpf_core_relo_kind}
 * ({@code include/uapi/linux/bpf.h}).
 */
public enum CoreRelocationKind {
    /** Byte offset of a field. */
    FIELD_BYTE_OFFSET(0, "byte_off"),
    /** Size of a field in bytes. */
    FIELD_BYTE_SIZE(1, "byte_sz"),
    /** Whether a field exists in the target kernel. */
    FIELD_EXISTS(2, "field_exists"),
    /** Whether a field is signed. */
    FIELD_SIGNED(3, "signed"),
    /** Left shift that isolates a bitfield in a u64. */
    FIELD_LSHIFT_U64(4, "lshift_u64"),
    /** Right shift that isolates a bitfield in a u64. */
    FIELD_RSHIFT_U64(5, "rshift_u64"),
    /** The type's id in the program's own BTF. */
    TYPE_ID_LOCAL(6, "local_type_id"),
    /** The type's id in the target kernel's BTF. */
    TYPE_ID_TARGET(7, "target_type_id"),
    /** Whether the type exists in the target kernel. */
    TYPE_EXISTS(8, "type_exists"),
    /** Size of the type in the target kernel. */
    TYPE_SIZE(9, "type_size"),
    /** Whether an enumerator exists in the target kernel. */
    ENUMVAL_EXISTS(10, "enumval_exists"),
    /** Value of an enumerator in the target kernel. */
    ENUMVAL_VALUE(11, "enumval_value"),
    /** Whether the target kernel's type matches the local one (libbpf's "type match" rules). */
    TYPE_MATCHES(12, "type_matches");

    private static final CoreRelocationKind[] BY_NUMBER = values();

    private final int number;
    private final String label;

    CoreRelocationKind(int number, String label) {
        this.number = number;
        this.label = label;
    }

    /** The short name libbpf and LLVM print (e.g. {@code byte_off}), so messages read like theirs. */
    public String label() {
        return label;
    }

    /** Whether the access string is a path of member indexes from the root type (the FIELD_* kinds). */
    public boolean isFieldBased() {
        return number <= FIELD_RSHIFT_U64.number;
    }

    /** Whether the access string names an enumerator by index (the ENUMVAL_* kinds). */
    public boolean isEnumValueBased() {
        return this == ENUMVAL_EXISTS || this == ENUMVAL_VALUE;
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
