package io.bpfstore.bytecode.btf.core;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.btf.CoreRelocation;
import io.bpfstore.bytecode.btf.CoreRelocationKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.bpfstore.bytecode.btf.core.TypeCompatibility.MAX_DEPTH;
import static io.bpfstore.bytecode.btf.core.TypeCompatibility.kindsCompatible;
import static io.bpfstore.bytecode.btf.core.TypeCompatibility.typesCompatible;
import static io.bpfstore.bytecode.btf.core.TypeCompatibility.typesMatch;

/**
 * Decides CO-RE relocations of a program's BTF against a target BTF (the kernel's), following libbpf's
 * relo_core.c: candidates are target types of a compatible kind whose name equals the local name without its
 * {@code ___flavour} suffix; each candidate must match the local access path member by member (anonymous
 * members searched through); all matching candidates must agree. The outcome is a {@link CoreResult}: the
 * value the program was compiled with and the one the target needs, or that nothing matched. Writing that
 * into instructions is the loader's part. Candidates are indexed once per resolver.
 */
public final class CoreResolver {
    private final Btf local;
    private final Supplier<Btf> target;
    private final Map<Integer, List<Integer>> candidateCache = new HashMap<>();
    private Map<String, List<BtfType>> targetByEssentialName;

    /**
     * A resolver for relocations of {@code local}.
     *
     * @param local  the program's BTF (the object's .BTF)
     * @param target the target's BTF, read on first need (for a kernel: /sys/kernel/btf/vmlinux)
     */
    public CoreResolver(Btf local, Supplier<Btf> target) {
        this.local = local;
        this.target = target;
    }

    /** What a relocation that found nothing ({@link CoreResult#poison}, {@link CoreResult#failMemSizeAdjust}) asked for, in C terms, e.g. {@code field task_struct.x}. */
    public String missing(CoreRelocation relocation, CoreResult r) {
        if (r.failMemSizeAdjust()) {
            return "a field whose size changed in this kernel (" + describe(relocation) + ")";
        }
        BtfType root = local.type(relocation.typeId());
        String rootName = CoreSpec.essentialName(root.name());
        try {
            CoreSpec spec = CoreSpec.parse(local, relocation.typeId(), relocation.accessString(), relocation.kind());
            if (relocation.kind().isEnumValueBased()) {
                return "enum value " + rootName + "::" + CoreSpec.essentialName(spec.last().name());
            }
            StringBuilder path = new StringBuilder(rootName);
            for (int i = 1; i < spec.accessors.size(); i++) {
                CoreSpec.Accessor a = spec.accessors.get(i);
                path.append(a.named() ? "." + a.name() : "[" + a.index() + "]");
            }
            return (spec.accessors.size() > 1 ? "field " : "type ") + path;
        } catch (IllegalArgumentException e) {
            return describe(relocation);
        }
    }

    /** The relocation in words, e.g. {@code byte_off of struct task_struct access 0:1}. */
    public String describe(CoreRelocation r) {
        BtfType t = local.type(r.typeId());
        return r.kind().label() + " of " + t.kind().name().toLowerCase() + " " + (t.name().isEmpty() ? "(anon)" : t.name())
                + " access " + r.accessString();
    }

    /**
     * Decides {@code relocation} against the target BTF.
     *
     * @throws IllegalArgumentException naming the cause when the relocation cannot be decided: an access
     *                                  string that does not fit the local types, an anonymous local type,
     *                                  candidates that disagree
     */
    public CoreResult resolve(CoreRelocation relocation) {
        BtfType localType = local.type(relocation.typeId());
        CoreRelocationKind kind = relocation.kind();
        CoreSpec localSpec = CoreSpec.parse(local, relocation.typeId(), relocation.accessString(), kind);
        if (kind == CoreRelocationKind.TYPE_ID_LOCAL) {
            return new CoreResult(localSpec.rootTypeId, localSpec.rootTypeId, false, false, false, 0, 0);
        }
        if (localType.name().isEmpty()) {
            throw new IllegalArgumentException("the local type [" + relocation.typeId() + "] is anonymous");
        }
        Btf targetBtf = target.get();
        CoreResult chosen = null;
        CoreSpec chosenSpec = null;
        for (int candidate : candidates(localType)) {
            CoreSpec targetSpec = new CoreSpec(targetBtf, candidate, kind);
            if (!match(localSpec, targetSpec)) {
                continue;
            }
            CoreResult r = result(localSpec, targetSpec);
            if (chosen == null) {
                chosen = r;
                chosenSpec = targetSpec;
            } else if (targetSpec.bitOffset != chosenSpec.bitOffset) {
                throw new IllegalArgumentException("field offset ambiguity: " + chosenSpec.bitOffset / 8 + " != "
                        + targetSpec.bitOffset / 8 + " between kernel types [" + chosenSpec.rootTypeId + "] and ["
                        + candidate + "]");
            } else if (r.poison() != chosen.poison() || r.newVal() != chosen.newVal()) {
                throw new IllegalArgumentException("relocation decision ambiguity: " + chosen.newVal() + " != "
                        + r.newVal() + " between kernel types [" + chosenSpec.rootTypeId + "] and [" + candidate + "]");
            }
        }
        return chosen != null ? chosen : result(localSpec, null);
    }

    /** Kernel types of a compatible kind with the same essential name (libbpf's bpf_core_find_cands). */
    private List<Integer> candidates(BtfType localType) {
        return candidateCache.computeIfAbsent(localType.id(), id -> {
            if (targetByEssentialName == null) {
                Map<String, List<BtfType>> index = new HashMap<>();
                for (BtfType t : target.get().types()) {
                    if (!t.name().isEmpty()) {
                        index.computeIfAbsent(CoreSpec.essentialName(t.name()), k -> new ArrayList<>(1)).add(t);
                    }
                }
                targetByEssentialName = index;
            }
            List<Integer> out = new ArrayList<>();
            for (BtfType t : targetByEssentialName.getOrDefault(CoreSpec.essentialName(localType.name()), List.of())) {
                if (kindsCompatible(t, localType)) {
                    out.add(t.id());
                }
            }
            return out;
        });
    }

    // ---- matching (bpf_core_spec_match) ----

    private boolean match(CoreSpec localSpec, CoreSpec targetSpec) {
        Btf targetBtf = targetSpec.btf;
        CoreRelocationKind kind = localSpec.kind;
        if (!kind.isFieldBased() && !kind.isEnumValueBased()) {
            return kind == CoreRelocationKind.TYPE_MATCHES
                    ? typesMatch(local, localSpec.rootTypeId, targetBtf, targetSpec.rootTypeId, false, MAX_DEPTH)
                    : typesCompatible(local, localSpec.rootTypeId, targetBtf, targetSpec.rootTypeId, MAX_DEPTH);
        }
        if (kind.isEnumValueBased()) {
            BtfType t = CoreSpec.skip(targetBtf, targetSpec.rootTypeId);
            if (!(t instanceof BtfType.Enumeration e)) {
                return false;
            }
            String want = CoreSpec.essentialName(localSpec.accessors.getFirst().name());
            for (int i = 0; i < e.values().size(); i++) {
                String name = e.values().get(i).name();
                if (CoreSpec.essentialName(name).equals(want)) {
                    targetSpec.accessors.add(new CoreSpec.Accessor(t.id(), i, name));
                    targetSpec.raw.add(i);
                    return true;
                }
            }
            return false;
        }
        int targetId = targetSpec.rootTypeId;
        for (int i = 0; i < localSpec.accessors.size(); i++) {
            CoreSpec.Accessor acc = localSpec.accessors.get(i);
            BtfType targetType = CoreSpec.skip(targetBtf, targetId);
            targetId = targetType.id();
            if (acc.named()) {
                int[] next = new int[1];
                if (!matchMember(acc, targetBtf, targetId, targetSpec, next, MAX_DEPTH)) {
                    return false;
                }
                targetId = next[0];
            } else {
                if (i > 0) {
                    if (!(targetType instanceof BtfType.Array a)) {
                        return false;
                    }
                    boolean flex = CoreSpec.isFlexible(targetBtf, targetSpec.accessors.getLast(), a);
                    if (!flex && acc.index() >= a.count()) {
                        return false;
                    }
                    targetId = CoreSpec.skip(targetBtf, a.elementType()).id();
                }
                if (targetSpec.raw.size() == CoreSpec.MAX_LEN) {
                    throw new IllegalArgumentException("struct/union/array nesting too deep");
                }
                targetSpec.accessors.add(new CoreSpec.Accessor(targetId, acc.index(), null));
                targetSpec.raw.add(acc.index());
                long sz = CoreSpec.size(targetBtf, targetId);
                if (sz < 0) {
                    throw new IllegalArgumentException("kernel type [" + targetId + "] has no size");
                }
                targetSpec.bitOffset += acc.index() * sz * 8;
            }
        }
        return true;
    }

    /** libbpf's bpf_core_match_member: finds the named member, looking through anonymous members. */
    private boolean matchMember(CoreSpec.Accessor acc, Btf targetBtf, int targetId, CoreSpec spec, int[] next, int depth) {
        if (depth <= 0) {
            throw new IllegalArgumentException("anonymous members nested too deep");
        }
        BtfType targetType = CoreSpec.skip(targetBtf, targetId);
        if (!(targetType instanceof BtfType.Composite targetComposite)) {
            return false;
        }
        BtfType.Composite localComposite = (BtfType.Composite) local.type(acc.typeId());
        BtfType.Member localMember = localComposite.members().get(acc.index());
        List<BtfType.Member> members = targetComposite.members();
        for (int i = 0; i < members.size(); i++) {
            BtfType.Member m = members.get(i);
            if (spec.raw.size() == CoreSpec.MAX_LEN) {
                throw new IllegalArgumentException("struct/union/array nesting too deep");
            }
            spec.bitOffset += m.bitOffset();
            spec.raw.add(i);
            if (m.name().isEmpty()) {
                if (matchMember(acc, targetBtf, m.type(), spec, next, depth - 1)) {
                    return true;
                }
            } else if (m.name().equals(localMember.name())) {
                next[0] = m.type();
                if (TypeCompatibility.fieldsCompatible(local, localMember.type(), targetBtf, m.type(), MAX_DEPTH)) {
                    spec.accessors.add(new CoreSpec.Accessor(targetType.id(), i, m.name()));
                    return true;
                }
                spec.bitOffset -= m.bitOffset();
                spec.raw.removeLast();
                return false;
            }
            spec.bitOffset -= m.bitOffset();
            spec.raw.removeLast();
        }
        return false;
    }

    // ---- values (bpf_core_calc_relo) ----

    private CoreResult result(CoreSpec localSpec, CoreSpec targetSpec) {
        CoreRelocationKind kind = localSpec.kind;
        if (kind.isFieldBased()) {
            long[] orig = field(localSpec, kind);
            long[] now = targetSpec == null ? null : field(targetSpec, kind);
            if (kind == CoreRelocationKind.FIELD_EXISTS) {
                return new CoreResult(1, targetSpec == null ? 0 : 1, false, true, false, 0, 0);
            }
            if (now == null) {
                return poisoned(orig[0]);
            }
            boolean failAdjust = false;
            if (orig[1] != now[1] && orig[2] > 0 && now[2] > 0) {
                BtfType o = local.type((int) orig[2]);
                BtfType n = targetSpec.btf.type((int) now[2]);
                boolean ok = o instanceof BtfType.Ptr && n instanceof BtfType.Ptr
                        || o instanceof BtfType.Int oi && n instanceof BtfType.Int ni && oi.isSigned() == ni.isSigned()
                        || o instanceof BtfType.Enum && n instanceof BtfType.Enum;
                failAdjust = !ok;
            }
            return new CoreResult(orig[0], now[0], false, orig[3] != 0, failAdjust, orig[1], now[1]);
        }
        if (kind.isEnumValueBased()) {
            long orig = enumValue(localSpec, kind);
            if (targetSpec == null) {
                return kind == CoreRelocationKind.ENUMVAL_EXISTS ? new CoreResult(orig, 0, false, true, false, 0, 0)
                        : poisoned(orig);
            }
            return new CoreResult(orig, enumValue(targetSpec, kind), false, true, false, 0, 0);
        }
        long orig = typeValue(localSpec, kind);
        return new CoreResult(orig, targetSpec == null ? 0 : typeValue(targetSpec, kind), false, true, false, 0, 0);
    }

    private static CoreResult poisoned(long orig) {
        return new CoreResult(orig, 0, true, true, false, 0, 0);
    }

    /** {value, field size, field type id (0 if none), validate (1/0)} as libbpf's bpf_core_calc_field_relo. */
    private static long[] field(CoreSpec spec, CoreRelocationKind kind) {
        Btf btf = spec.btf;
        if (kind == CoreRelocationKind.FIELD_EXISTS) {
            return new long[] {1, 0, 0, 1};
        }
        CoreSpec.Accessor acc = spec.last();
        if (!acc.named()) {
            long sz = CoreSpec.size(btf, acc.typeId());
            return switch (kind) {
                case FIELD_BYTE_OFFSET -> new long[] {spec.bitOffset / 8, sz, acc.typeId(), 1};
                case FIELD_BYTE_SIZE -> new long[] {sz, 0, 0, 1};
                default -> throw new IllegalArgumentException(kind.label() + " of an array element or root");
            };
        }
        BtfType.Composite composite = (BtfType.Composite) btf.type(acc.typeId());
        BtfType.Member m = composite.members().get(acc.index());
        BtfType fieldType = CoreSpec.skip(btf, m.type());
        long bitOff = spec.bitOffset;
        long bitSize = m.bitfieldSize();
        boolean bitfield = bitSize > 0;
        long byteSize;
        long byteOff;
        if (bitfield) {
            byteSize = CoreSpec.size(btf, fieldType.id());
            byteOff = bitOff / 8 / byteSize * byteSize;
            while (bitOff + bitSize - byteOff * 8 > byteSize * 8) {
                if (byteSize >= 8) {
                    throw new IllegalArgumentException("bitfield does not fit in 8 bytes");
                }
                byteSize *= 2;
                byteOff = bitOff / 8 / byteSize * byteSize;
            }
        } else {
            byteSize = CoreSpec.size(btf, m.type());
            if (byteSize < 0) {
                throw new IllegalArgumentException("field " + m.name() + " has no size");
            }
            byteOff = bitOff / 8;
            bitSize = byteSize * 8;
        }
        long validate = bitfield ? 0 : 1;
        return switch (kind) {
            case FIELD_BYTE_OFFSET -> new long[] {byteOff, bitfield ? 0 : byteSize, bitfield ? 0 : fieldType.id(), validate};
            case FIELD_BYTE_SIZE -> new long[] {byteSize, 0, 0, validate};
            case FIELD_SIGNED -> new long[] {
                    fieldType instanceof BtfType.Enumeration e && e.signed()
                            || fieldType instanceof BtfType.Int i && i.isSigned() ? 1 : 0, 0, 0, validate};
            case FIELD_LSHIFT_U64 -> new long[] {64 - (bitOff + bitSize - byteOff * 8), 0, 0, validate};
            case FIELD_RSHIFT_U64 -> new long[] {64 - bitSize, 0, 0, 1};
            default -> throw new IllegalArgumentException("not a field relocation: " + kind);
        };
    }

    private static long enumValue(CoreSpec spec, CoreRelocationKind kind) {
        if (kind == CoreRelocationKind.ENUMVAL_EXISTS) {
            return 1;
        }
        CoreSpec.Accessor acc = spec.accessors.getFirst();
        BtfType.Enumeration e = (BtfType.Enumeration) spec.btf.type(acc.typeId());
        long v = e.values().get(acc.index()).value();
        return e instanceof BtfType.Enum ? (long) (int) v : v;
    }

    private static long typeValue(CoreSpec spec, CoreRelocationKind kind) {
        return switch (kind) {
            case TYPE_ID_LOCAL, TYPE_ID_TARGET -> spec.rootTypeId;
            case TYPE_EXISTS, TYPE_MATCHES -> 1;
            case TYPE_SIZE -> {
                long sz = CoreSpec.size(spec.btf, spec.rootTypeId);
                if (sz < 0) {
                    throw new IllegalArgumentException("type [" + spec.rootTypeId + "] has no size");
                }
                yield sz;
            }
            default -> throw new IllegalArgumentException("not a type relocation: " + kind);
        };
    }
}
