package io.bpfstore.bytecode.btf.core;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;

/**
 * How CO-RE relates a program's BTF types to the kernel's, following libbpf's relo_core.c: compatible kinds,
 * compatible types (the relocations on types and fields, and kfunc prototypes) and matching types (the
 * TYPE_MATCHES relocation). Names compare without their {@code ___flavour} suffix. Pure BTF reasoning: no
 * kernel is needed.
 */
public final class TypeCompatibility {
    /** How deep type graphs are followed before giving up (libbpf's recursion limit). */
    public static final int MAX_DEPTH = 32;

    private TypeCompatibility() {
    }

    /** Whether CO-RE may relate types of these kinds: the same kind, or enum and enum64. */
    public static boolean kindsCompatible(BtfType a, BtfType b) {
        return a.kind() == b.kind() || a instanceof BtfType.Enumeration && b instanceof BtfType.Enumeration;
    }

    /**
     * Whether a local field type and a target field type are compatible (libbpf's bpf_core_fields_are_compat).
     *
     * @param depth how many levels of arrays and pointers to follow before giving up
     * @throws IllegalArgumentException when the types nest deeper than {@code depth}
     */
    public static boolean fieldsCompatible(Btf lb, int lid, Btf tb, int tid, int depth) {
        while (true) {
            if (--depth < 0) {
                throw new IllegalArgumentException("field types nested too deep");
            }
            BtfType l = CoreSpec.skip(lb, lid);
            BtfType t = CoreSpec.skip(tb, tid);
            if (l instanceof BtfType.Composite && t instanceof BtfType.Composite) {
                return true;
            }
            if (!kindsCompatible(l, t)) {
                return false;
            }
            switch (l) {
                case BtfType.Ptr p -> {
                    return true;
                }
                case BtfType.Float f -> {
                    return true;
                }
                case BtfType.Fwd f -> {
                    return namesMatchOrAnonymous(l.name(), t.name());
                }
                case BtfType.Enumeration e -> {
                    return namesMatchOrAnonymous(l.name(), t.name());
                }
                case BtfType.Int i -> {
                    return i.bitOffset() == 0 && ((BtfType.Int) t).bitOffset() == 0;
                }
                case BtfType.Array a -> {
                    lid = a.elementType();
                    tid = ((BtfType.Array) t).elementType();
                }
                default -> {
                    return false;
                }
            }
        }
    }

    private static boolean namesMatchOrAnonymous(String a, String b) {
        int la = CoreSpec.essentialLength(a);
        int lb = CoreSpec.essentialLength(b);
        return la == 0 || lb == 0 || (la == lb && a.regionMatches(0, b, 0, la));
    }

    /**
     * Whether local type {@code lid} of {@code lb} and target type {@code tid} of {@code tb} are compatible
     * (libbpf's __bpf_core_types_are_compat): the check behind TYPE_EXISTS and TYPE_ID_TARGET relocations and
     * behind kfunc prototypes.
     *
     * @param level how deep to follow pointers, arrays and function prototypes
     * @throws IllegalArgumentException when the types nest deeper than {@code level}
     */
    public static boolean typesCompatible(Btf lb, int lid, Btf tb, int tid, int level) {
        while (true) {
            if (level-- <= 0) {
                throw new IllegalArgumentException("types nested too deep");
            }
            BtfType l = CoreSpec.skip(lb, lid);
            BtfType t = CoreSpec.skip(tb, tid);
            if (!kindsCompatible(l, t)) {
                return false;
            }
            switch (l) {
                case BtfType.Void v -> {
                    return true;
                }
                case BtfType.Composite c -> {
                    return true;
                }
                case BtfType.Enumeration e -> {
                    return true;
                }
                case BtfType.Fwd f -> {
                    return true;
                }
                case BtfType.Int i -> {
                    return i.bitOffset() == 0 && ((BtfType.Int) t).bitOffset() == 0;
                }
                case BtfType.Ptr p -> {
                    lid = p.type();
                    tid = ((BtfType.Ptr) t).type();
                }
                case BtfType.Array a -> {
                    lid = a.elementType();
                    tid = ((BtfType.Array) t).elementType();
                }
                case BtfType.FuncProto lp -> {
                    BtfType.FuncProto tp = (BtfType.FuncProto) t;
                    if (lp.params().size() != tp.params().size()) {
                        return false;
                    }
                    for (int i = 0; i < lp.params().size(); i++) {
                        if (!typesCompatible(lb, lp.params().get(i).type(), tb, tp.params().get(i).type(), level)) {
                            return false;
                        }
                    }
                    lid = lp.returnType();
                    tid = tp.returnType();
                }
                default -> {
                    return false;
                }
            }
        }
    }

    /**
     * Whether local type {@code lid} of {@code lb} matches target type {@code tid} of {@code tb} (libbpf's
     * __bpf_core_types_match, the TYPE_MATCHES relocation): stricter than {@link #typesCompatible}, members by name.
     *
     * @param behindPointer whether the types are reached through a pointer (then a forward declaration matches)
     * @param level         how deep to follow
     * @throws IllegalArgumentException when the types nest deeper than {@code level}
     */
    public static boolean typesMatch(Btf lb, int lid, Btf tb, int tid, boolean behindPointer, int level) {
        while (true) {
            if (level-- <= 0) {
                throw new IllegalArgumentException("types nested too deep");
            }
            BtfType l = CoreSpec.skip(lb, lid);
            BtfType t = CoreSpec.skip(tb, tid);
            if (!namesMatch(l.name(), t.name())) {
                return false;
            }
            switch (l) {
                case BtfType.Void v -> {
                    return t instanceof BtfType.Void;
                }
                case BtfType.Fwd f -> {
                    if (behindPointer) {
                        if (t instanceof BtfType.Fwd tf) {
                            return f.union() == tf.union();
                        }
                        return t instanceof BtfType.Struct && !f.union() || t instanceof BtfType.Union && f.union();
                    }
                    return t instanceof BtfType.Fwd tf && f.union() == tf.union();
                }
                case BtfType.Enumeration e -> {
                    if (!(t instanceof BtfType.Enumeration te) || e.values().size() > te.values().size()) {
                        return false;
                    }
                    for (BtfType.EnumValue v : e.values()) {
                        if (te.values().stream().noneMatch(tv -> namesMatch(v.name(), tv.name()))) {
                            return false;
                        }
                    }
                    return true;
                }
                case BtfType.Composite c -> {
                    if (behindPointer) {
                        if (l.kind() == t.kind()) {
                            return true;
                        }
                        return t instanceof BtfType.Fwd tf && (c instanceof BtfType.Union) == tf.union();
                    }
                    if (l.kind() != t.kind()) {
                        return false;
                    }
                    BtfType.Composite tc = (BtfType.Composite) t;
                    if (c.members().size() > tc.members().size()) {
                        return false;
                    }
                    for (BtfType.Member m : c.members()) {
                        boolean found = false;
                        for (BtfType.Member tm : tc.members()) {
                            if (namesMatch(m.name(), tm.name())
                                    && typesMatch(lb, m.type(), tb, tm.type(), behindPointer, level)) {
                                found = true;
                                break;
                            }
                        }
                        if (!found) {
                            return false;
                        }
                    }
                    return true;
                }
                case BtfType.Int i -> {
                    return t instanceof BtfType.Int ti && i.size() == ti.size() && i.isSigned() == ti.isSigned();
                }
                case BtfType.Ptr p -> {
                    if (!(t instanceof BtfType.Ptr tp)) {
                        return false;
                    }
                    behindPointer = true;
                    lid = p.type();
                    tid = tp.type();
                }
                case BtfType.Array a -> {
                    if (!(t instanceof BtfType.Array ta) || a.count() != ta.count()) {
                        return false;
                    }
                    lid = a.elementType();
                    tid = ta.elementType();
                }
                case BtfType.FuncProto lp -> {
                    if (!(t instanceof BtfType.FuncProto tp) || lp.params().size() != tp.params().size()) {
                        return false;
                    }
                    for (int i = 0; i < lp.params().size(); i++) {
                        if (!typesMatch(lb, lp.params().get(i).type(), tb, tp.params().get(i).type(), behindPointer, level)) {
                            return false;
                        }
                    }
                    lid = lp.returnType();
                    tid = tp.returnType();
                }
                default -> {
                    return false;
                }
            }
        }
    }

    private static boolean namesMatch(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return true;
        }
        int la = CoreSpec.essentialLength(a);
        return la == CoreSpec.essentialLength(b) && a.regionMatches(0, b, 0, la);
    }
}
