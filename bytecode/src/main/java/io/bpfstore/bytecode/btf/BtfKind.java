package io.bpfstore.bytecode.btf;

/**
 * The kinds of BTF type records, numbered as in the kernel's {@code BTF_KIND_*} ({@code include/uapi/linux/btf.h}).
 * The constant names are the ones {@code bpftool btf dump} prints.
 */
public enum BtfKind {
    /** Kind 0 is reserved; type id 0 is {@code void} and has no record. bpftool calls it UNKNOWN. */
    UNKNOWN(0),
    /** Integer: size, encoding, bit offset and bit count. */
    INT(1),
    /** Pointer. */
    PTR(2),
    /** Array: element type, index type, element count. */
    ARRAY(3),
    /** Struct with members. */
    STRUCT(4),
    /** Union with members. */
    UNION(5),
    /** 32-bit enumeration. */
    ENUM(6),
    /** Forward declaration of a struct or union. */
    FWD(7),
    /** Typedef. */
    TYPEDEF(8),
    /** {@code volatile} modifier. */
    VOLATILE(9),
    /** {@code const} modifier. */
    CONST(10),
    /** {@code restrict} modifier. */
    RESTRICT(11),
    /** Function (name and linkage), pointing at its FUNC_PROTO. */
    FUNC(12),
    /** Function signature: return type and parameters. */
    FUNC_PROTO(13),
    /** Variable in a data section. */
    VAR(14),
    /** Data section: the variables it holds and where. */
    DATASEC(15),
    /** Floating-point type. */
    FLOAT(16),
    /** {@code btf_decl_tag} attribute on a declaration, one of its members or parameters. */
    DECL_TAG(17),
    /** {@code btf_type_tag} attribute on a type (e.g. {@code __user} pointers). */
    TYPE_TAG(18),
    /** 64-bit enumeration. */
    ENUM64(19);

    private static final BtfKind[] BY_NUMBER = values();

    private final int number;

    BtfKind(int number) {
        this.number = number;
    }

    /** The kernel's {@code BTF_KIND_*} number. */
    public int number() {
        return number;
    }

    /** The kind with kernel number {@code number}, or {@code null} for numbers this reader does not know. */
    static BtfKind ofNumber(int number) {
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }
}
