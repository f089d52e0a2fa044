package io.bpfstore.bytecode.btf.core;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.btf.CoreRelocationKind;
import java.util.ArrayList;
import java.util.List;

/**
 * A CO-RE access specification against one BTF (libbpf's {@code struct bpf_core_spec}): the root type, the
 * named-member and array accessors walked from it, and the bit offset they reach. The program's own spec comes
 * from parsing the access string; a candidate's from matching that spec against the kernel's types.
 */
final class CoreSpec {
    /** libbpf's BPF_CORE_SPEC_MAX_LEN. */
    static final int MAX_LEN = 64;

    /**
     * One step: for a named member, the composite's id, the member index and its name; for an array element
     * (or the root's implicit array index), the element type id, the index and no name.
     */
    record Accessor(int typeId, int index, String name) {
        boolean named() {
            return name != null;
        }
    }

    final Btf btf;
    final int rootTypeId;
    final CoreRelocationKind kind;
    final List<Accessor> accessors = new ArrayList<>();
    final List<Integer> raw = new ArrayList<>();
    long bitOffset;

    CoreSpec(Btf btf, int rootTypeId, CoreRelocationKind kind) {
        this.btf = btf;
        this.rootTypeId = rootTypeId;
        this.kind = kind;
    }

    Accessor last() {
        return accessors.getLast();
    }

    /** The type {@code id} stands for without modifiers and typedefs (libbpf's skip_mods_and_typedefs). */
    static BtfType skip(Btf btf, int id) {
        return btf.resolve(id);
    }

    /** libbpf's btf__resolve_size, or -1 when the type has no size. */
    static long size(Btf btf, int id) {
        try {
            return btf.sizeof(id);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** Length of {@code name} without a {@code ___flavour} suffix (libbpf's bpf_core_essential_name_len). */
    static int essentialLength(String name) {
        int n = name.length();
        for (int i = n - 5; i >= 0; i--) {
            if (name.charAt(i) != '_' && name.charAt(i + 1) == '_' && name.charAt(i + 2) == '_'
                    && name.charAt(i + 3) == '_' && name.charAt(i + 4) != '_') {
                return i + 1;
            }
        }
        return n;
    }

    /** The name without its flavour suffix. */
    static String essentialName(String name) {
        return name.substring(0, essentialLength(name));
    }

    /**
     * Parses the program's access string (libbpf's bpf_core_parse_spec).
     *
     * @throws IllegalArgumentException when the string does not fit the local types
     */
    static CoreSpec parse(Btf btf, int typeId, String access, CoreRelocationKind kind) {
        CoreSpec spec = new CoreSpec(btf, typeId, kind);
        if (!kind.isFieldBased() && !kind.isEnumValueBased()) {
            if (!access.equals("0")) {
                throw new IllegalArgumentException("type-based relocation with access string \"" + access + "\"");
            }
            return spec;
        }
        for (String part : access.split(":")) {
            try {
                spec.raw.add(Integer.parseInt(part));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("access string \"" + access + "\" is not a list of numbers");
            }
        }
        if (spec.raw.isEmpty() || spec.raw.size() > MAX_LEN) {
            throw new IllegalArgumentException("access string \"" + access + "\" has a bad length");
        }
        BtfType t = skip(btf, typeId);
        int id = t.id();
        int index = spec.raw.getFirst();
        if (kind.isEnumValueBased()) {
            if (!(t instanceof BtfType.Enumeration e) || spec.raw.size() > 1 || index < 0 || index >= e.values().size()) {
                throw new IllegalArgumentException("enum value access \"" + access + "\" does not fit type [" + typeId + "]");
            }
            spec.accessors.add(new Accessor(id, index, e.values().get(index).name()));
            return spec;
        }
        spec.accessors.add(new Accessor(id, index, null));
        long sz = size(btf, id);
        if (sz < 0) {
            throw new IllegalArgumentException("type [" + typeId + "] has no size");
        }
        spec.bitOffset = index * sz * 8;
        for (int i = 1; i < spec.raw.size(); i++) {
            t = skip(btf, id);
            id = t.id();
            index = spec.raw.get(i);
            if (t instanceof BtfType.Composite c) {
                if (index < 0 || index >= c.members().size()) {
                    throw new IllegalArgumentException("member index " + index + " out of range in " + c.name());
                }
                BtfType.Member m = c.members().get(index);
                spec.bitOffset += m.bitOffset();
                if (!m.name().isEmpty()) {
                    spec.accessors.add(new Accessor(id, index, m.name()));
                }
                id = m.type();
            } else if (t instanceof BtfType.Array a) {
                BtfType element = skip(btf, a.elementType());
                id = element.id();
                boolean flex = isFlexible(btf, spec.accessors.getLast(), a);
                if (!flex && index >= a.count()) {
                    throw new IllegalArgumentException("array index " + index + " out of range");
                }
                spec.accessors.add(new Accessor(id, index, null));
                long esz = size(btf, id);
                if (esz < 0) {
                    throw new IllegalArgumentException("array element type [" + id + "] has no size");
                }
                spec.bitOffset += index * esz * 8;
            } else {
                throw new IllegalArgumentException("access string \"" + access + "\" steps into " + t.kind());
            }
        }
        return spec;
    }

    /** A zero-length array that is the last member of its struct (libbpf's is_flex_arr). */
    static boolean isFlexible(Btf btf, Accessor previous, BtfType.Array array) {
        if (!previous.named() || array.count() > 0) {
            return false;
        }
        return btf.type(previous.typeId()) instanceof BtfType.Composite c && previous.index() == c.members().size() - 1;
    }
}
