package io.bpfstore.bytecode.btf;

import java.util.List;

/**
 * One BTF type record, immutable. A closed set: walk it with a {@code switch} over the records below.
 *
 * <p>References to other types are plain type ids ({@code int}); look them up with {@link Btf#type(int)}. Id 0 is
 * {@code void} ({@link Void}). Unsigned 32-bit quantities of the format (sizes, counts, offsets) are {@code long}
 * so that they never print negative. An anonymous type or member has the empty name.
 */
public sealed interface BtfType {

    /** The type id (1-based; 0 for {@link Void}). */
    int id();

    /** The name, empty when anonymous. */
    String name();

    /** The kind of record. */
    BtfKind kind();

    /** Whether the type has no name. */
    default boolean isAnonymous() {
        return name().isEmpty();
    }

    /** A type that only qualifies or renames another one: TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG. */
    sealed interface Qualifier extends BtfType permits Typedef, Volatile, Const, Restrict, TypeTag {
        /** The type it qualifies or renames. */
        int type();
    }

    /** A struct or union. */
    sealed interface Composite extends BtfType permits Struct, Union {
        /** Size in bytes. */
        long size();

        /** Whether member offsets carry bitfield sizes ({@code kind_flag} set). */
        boolean bitfieldEncoding();

        /** The members, in declaration order. */
        List<Member> members();
    }

    /** An ENUM or ENUM64. */
    sealed interface Enumeration extends BtfType permits Enum, Enum64 {
        /** Size in bytes. */
        long size();

        /** Whether values are signed ({@code kind_flag} set). */
        boolean signed();

        /** The enumerators. */
        List<EnumValue> values();
    }

    /** The {@code void} type, id 0; it has no record in the blob. */
    record Void() implements BtfType {
        /** The one instance. */
        public static final Void INSTANCE = new Void();

        @Override public int id() { return 0; }
        @Override public String name() { return ""; }
        @Override public BtfKind kind() { return BtfKind.UNKNOWN; }
    }

    /**
     * An integer type.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param size      size in bytes
     * @param encoding  bit set of {@link #SIGNED}, {@link #CHAR}, {@link #BOOL}
     * @param bitOffset offset of the value's bits inside {@code size} bytes (usually 0)
     * @param bits      number of value bits
     */
    record Int(int id, String name, long size, int encoding, int bitOffset, int bits) implements BtfType {
        /** {@code BTF_INT_SIGNED}. */
        public static final int SIGNED = 1;
        /** {@code BTF_INT_CHAR}. */
        public static final int CHAR = 2;
        /** {@code BTF_INT_BOOL}. */
        public static final int BOOL = 4;

        @Override public BtfKind kind() { return BtfKind.INT; }

        /** Whether the signed bit is set. */
        public boolean isSigned() { return (encoding & SIGNED) != 0; }
    }

    /**
     * A pointer.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param type the pointee (0 for {@code void *})
     */
    record Ptr(int id, String name, int type) implements BtfType {
        @Override public BtfKind kind() { return BtfKind.PTR; }
    }

    /**
     * An array.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param elementType the element type
     * @param indexType   the index type (compilers emit an INT named {@code __ARRAY_SIZE_TYPE__})
     * @param count       number of elements (0 for flexible arrays)
     */
    record Array(int id, String name, int elementType, int indexType, long count) implements BtfType {
        @Override public BtfKind kind() { return BtfKind.ARRAY; }
    }

    /**
     * A struct.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param size             size in bytes
     * @param bitfieldEncoding whether member offsets carry bitfield sizes ({@code kind_flag})
     * @param members          the members in declaration order
     */
    record Struct(int id, String name, long size, boolean bitfieldEncoding, List<Member> members)
            implements Composite {
        /** Copies the member list. */
        public Struct {
            members = List.copyOf(members);
        }

        @Override public BtfKind kind() { return BtfKind.STRUCT; }
    }

    /**
     * A union.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param size             size in bytes
     * @param bitfieldEncoding whether member offsets carry bitfield sizes ({@code kind_flag})
     * @param members          the members in declaration order
     */
    record Union(int id, String name, long size, boolean bitfieldEncoding, List<Member> members)
            implements Composite {
        /** Copies the member list. */
        public Union {
            members = List.copyOf(members);
        }

        @Override public BtfKind kind() { return BtfKind.UNION; }
    }

    /**
     * A struct or union member.
     *
     * @param name         the member name, empty for anonymous struct or union members
     * @param type         the member type
     * @param bitOffset    offset of the member from the start of the struct, in bits
     * @param bitfieldSize width of a bitfield member in bits, 0 when not a bitfield (or when the struct does not
     *                     use the bitfield encoding: then the member type, an INT, carries the width)
     */
    record Member(String name, int type, long bitOffset, int bitfieldSize) {
    }

    /**
     * A 32-bit enumeration.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param size   size in bytes (1, 2, 4 or 8)
     * @param signed whether values are signed ({@code kind_flag})
     * @param values the enumerators
     */
    record Enum(int id, String name, long size, boolean signed, List<EnumValue> values) implements Enumeration {
        /** Copies the value list. */
        public Enum {
            values = List.copyOf(values);
        }

        @Override public BtfKind kind() { return BtfKind.ENUM; }
    }

    /**
     * A 64-bit enumeration.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param size   size in bytes
     * @param signed whether values are signed ({@code kind_flag})
     * @param values the enumerators
     */
    record Enum64(int id, String name, long size, boolean signed, List<EnumValue> values) implements Enumeration {
        /** Copies the value list. */
        public Enum64 {
            values = List.copyOf(values);
        }

        @Override public BtfKind kind() { return BtfKind.ENUM64; }
    }

    /**
     * An enumerator.
     *
     * @param name  the enumerator name
     * @param value the value: sign-extended for signed enums; for unsigned ENUM64 the raw 64 bits (read it with
     *              {@link Long#toUnsignedString(long)})
     */
    record EnumValue(String name, long value) {
    }

    /**
     * A forward declaration.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param union whether it declares a union rather than a struct ({@code kind_flag})
     */
    record Fwd(int id, String name, boolean union) implements BtfType {
        @Override public BtfKind kind() { return BtfKind.FWD; }
    }

    /**
     * A typedef.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param type the type it names
     */
    record Typedef(int id, String name, int type) implements Qualifier {
        @Override public BtfKind kind() { return BtfKind.TYPEDEF; }
    }

    /**
     * The {@code volatile} qualifier.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param type the qualified type
     */
    record Volatile(int id, String name, int type) implements Qualifier {
        @Override public BtfKind kind() { return BtfKind.VOLATILE; }
    }

    /**
     * The {@code const} qualifier.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param type the qualified type
     */
    record Const(int id, String name, int type) implements Qualifier {
        @Override public BtfKind kind() { return BtfKind.CONST; }
    }

    /**
     * The {@code restrict} qualifier.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param type the qualified type
     */
    record Restrict(int id, String name, int type) implements Qualifier {
        @Override public BtfKind kind() { return BtfKind.RESTRICT; }
    }

    /**
     * A type tag; its name is the tag text (e.g. {@code user}, {@code rcu}).
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param type the tagged type
     */
    record TypeTag(int id, String name, int type) implements Qualifier {
        @Override public BtfKind kind() { return BtfKind.TYPE_TAG; }
    }

    /**
     * A function.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param type    its FUNC_PROTO
     * @param linkage static, global or extern (stored in the record's vlen)
     */
    record Func(int id, String name, int type, Linkage linkage) implements BtfType {
        @Override public BtfKind kind() { return BtfKind.FUNC; }
    }

    /**
     * A function signature; always anonymous.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param returnType the return type (0 for void)
     * @param params     the parameters
     */
    record FuncProto(int id, String name, int returnType, List<Param> params) implements BtfType {
        /** Copies the parameter list. */
        public FuncProto {
            params = List.copyOf(params);
        }

        @Override public BtfKind kind() { return BtfKind.FUNC_PROTO; }

        /** Whether the last parameter is the {@code ...} marker (no name, type 0). */
        public boolean isVariadic() {
            return !params.isEmpty() && params.getLast().type() == 0 && params.getLast().name().isEmpty();
        }
    }

    /**
     * A function parameter.
     *
     * @param name the parameter name, empty when the prototype has none
     * @param type the parameter type
     */
    record Param(String name, int type) {
    }

    /**
     * A variable.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param type    its type
     * @param linkage static, global or extern
     */
    record Var(int id, String name, int type, Linkage linkage) implements BtfType {
        @Override public BtfKind kind() { return BtfKind.VAR; }
    }

    /**
     * A data section (e.g. {@code .data}, {@code .maps}) and the variables in it.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param size size in bytes (0 in objects before the loader fills it in)
     * @param vars the variables, in the order the compiler wrote them
     */
    record Datasec(int id, String name, long size, List<VarSecinfo> vars) implements BtfType {
        /** Copies the variable list. */
        public Datasec {
            vars = List.copyOf(vars);
        }

        @Override public BtfKind kind() { return BtfKind.DATASEC; }
    }

    /**
     * Where a variable lies in a data section.
     *
     * @param type   the VAR (or FUNC, for extern kfuncs in {@code .ksyms})
     * @param offset byte offset in the section
     * @param size   size in bytes
     */
    record VarSecinfo(int type, long offset, long size) {
    }

    /**
     * A floating-point type.
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param size size in bytes
     */
    record Float(int id, String name, long size) implements BtfType {
        @Override public BtfKind kind() { return BtfKind.FLOAT; }
    }

    /**
     * A declaration tag; its name is the tag text (e.g. {@code bpf_kfunc}).
     *
     * @param id   the type id
     * @param name the name, empty when anonymous
     * @param type           the tagged STRUCT, UNION, FUNC, VAR or TYPEDEF
     * @param componentIndex -1 for the declaration itself, else the 0-based member or parameter index
     */
    record DeclTag(int id, String name, int type, int componentIndex) implements BtfType {
        @Override public BtfKind kind() { return BtfKind.DECL_TAG; }
    }
}
