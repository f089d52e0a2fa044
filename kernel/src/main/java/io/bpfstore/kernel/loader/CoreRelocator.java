package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.btf.CoreRelocation;
import io.bpfstore.bytecode.btf.CoreRelocationKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Computes and applies CO-RE relocations against the kernel's BTF, following libbpf's relo_core.c: candidates
 * are kernel types of a compatible kind whose name equals the local name without its {@code ___flavour} suffix;
 * each candidate must match the local access path member by member (anonymous members searched through); all
 * matching candidates must agree. A relocation nothing matches poisons its instruction (a call to the invalid
 * helper 0xbad2310) so that the verifier names it only if it is reachable, as libbpf does.
 */
final class CoreRelocator {
    /** The helper number libbpf writes into poisoned instructions (0xbad2310). */
    static final int POISON = 0xbad2310;
    private static final int MAX_DEPTH = 32;

    private final Btf local;
    private final Supplier<Btf> target;
    private final Map<Integer, List<Integer>> candidateCache = new HashMap<>();
    private Map<String, List<BtfType>> targetByEssentialName;

    CoreRelocator(Btf local, Supplier<Btf> target) {
        this.local = local;
        this.target = target;
    }

    /** The outcome for one relocation (libbpf's bpf_core_relo_res). */
    record Result(long origVal, long newVal, boolean poison, boolean validate, boolean failMemSizeAdjust,
                  long origSize, long newSize) {
    }

    /**
     * Applies {@code relocation} to slot {@code slot} of {@code code}.
     *
     * @return when the instruction was poisoned, what the kernel lacks (e.g. {@code field task_struct.x})
     * @throws LoadException naming {@code where} when the relocation cannot be computed or does not fit the
     *                       instruction
     */
    java.util.Optional<String> apply(CoreRelocation relocation, InstructionBuffer code, int slot, String where) {
        Result r;
        try {
            r = calculate(relocation);
        } catch (IllegalArgumentException e) {
            throw new LoadException(where + ": CO-RE relocation " + describe(relocation) + " failed: " + e.getMessage(), e);
        }
        patch(code, slot, r, relocation, where);
        return r.poison() || r.failMemSizeAdjust() ? java.util.Optional.of(missing(relocation, r))
                : java.util.Optional.empty();
    }

    /** What a poisoned relocation asked for, in C terms. */
    private String missing(CoreRelocation relocation, Result r) {
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

    private String describe(CoreRelocation r) {
        BtfType t = local.type(r.typeId());
        return r.kind().label() + " of " + t.kind().name().toLowerCase() + " " + (t.name().isEmpty() ? "(anon)" : t.name())
                + " access " + r.accessString();
    }

    Result calculate(CoreRelocation relocation) {
        BtfType localType = local.type(relocation.typeId());
        CoreRelocationKind kind = relocation.kind();
        CoreSpec localSpec = CoreSpec.parse(local, relocation.typeId(), relocation.accessString(), kind);
        if (kind == CoreRelocationKind.TYPE_ID_LOCAL) {
            return new Result(localSpec.rootTypeId, localSpec.rootTypeId, false, false, false, 0, 0);
        }
        if (localType.name().isEmpty()) {
            throw new IllegalArgumentException("the local type [" + relocation.typeId() + "] is anonymous");
        }
        Btf targetBtf = target.get();
        Result chosen = null;
        CoreSpec chosenSpec = null;
        for (int candidate : candidates(localType)) {
            CoreSpec targetSpec = new CoreSpec(targetBtf, candidate, kind);
            if (!match(localSpec, targetSpec)) {
                continue;
            }
            Result r = result(localSpec, targetSpec);
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

    static boolean kindsCompatible(BtfType a, BtfType b) {
        return a.kind() == b.kind() || a instanceof BtfType.Enumeration && b instanceof BtfType.Enumeration;
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
                if (fieldsCompatible(local, localMember.type(), targetBtf, m.type(), MAX_DEPTH)) {
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

    /** libbpf's bpf_core_fields_are_compat. */
    static boolean fieldsCompatible(Btf lb, int lid, Btf tb, int tid, int depth) {
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

    /** libbpf's __bpf_core_types_are_compat. */
    static boolean typesCompatible(Btf lb, int lid, Btf tb, int tid, int level) {
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

    /** libbpf's __bpf_core_types_match (the TYPE_MATCHES relocation). */
    static boolean typesMatch(Btf lb, int lid, Btf tb, int tid, boolean behindPointer, int level) {
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

    // ---- values (bpf_core_calc_relo) ----

    private Result result(CoreSpec localSpec, CoreSpec targetSpec) {
        CoreRelocationKind kind = localSpec.kind;
        if (kind.isFieldBased()) {
            long[] orig = field(localSpec, kind);
            long[] now = targetSpec == null ? null : field(targetSpec, kind);
            if (kind == CoreRelocationKind.FIELD_EXISTS) {
                return new Result(1, targetSpec == null ? 0 : 1, false, true, false, 0, 0);
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
            return new Result(orig[0], now[0], false, orig[3] != 0, failAdjust, orig[1], now[1]);
        }
        if (kind.isEnumValueBased()) {
            long orig = enumValue(localSpec, kind);
            if (targetSpec == null) {
                return kind == CoreRelocationKind.ENUMVAL_EXISTS ? new Result(orig, 0, false, true, false, 0, 0)
                        : poisoned(orig);
            }
            return new Result(orig, enumValue(targetSpec, kind), false, true, false, 0, 0);
        }
        long orig = typeValue(localSpec, kind);
        return new Result(orig, targetSpec == null ? 0 : typeValue(targetSpec, kind), false, true, false, 0, 0);
    }

    private static Result poisoned(long orig) {
        return new Result(orig, 0, true, true, false, 0, 0);
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

    // ---- patching (bpf_core_patch_insn) ----

    private void patch(InstructionBuffer code, int slot, Result r, CoreRelocation relocation, String where) {
        String what = where + ": CO-RE relocation " + describe(relocation) + " at instruction " + slot;
        if (r.poison() || r.failMemSizeAdjust()) {
            if (code.isLdImm64(slot)) {
                poison(code, slot + 1);
            }
            poison(code, slot);
            return;
        }
        int op = code.code(slot);
        int cls = op & 0x07;
        switch (cls) {
            case 0x04, 0x07 -> { // BPF_ALU, BPF_ALU64
                if ((op & 0x08) != 0) {
                    throw new LoadException(what + ": ALU instruction does not take an immediate");
                }
                if (r.validate() && code.imm(slot) != (int) r.origVal()) {
                    throw new LoadException(what + ": unexpected immediate " + code.imm(slot) + ", expected " + r.origVal());
                }
                code.imm(slot, (int) r.newVal());
            }
            case 0x01, 0x02, 0x03 -> { // BPF_LDX, BPF_ST, BPF_STX
                if (r.validate() && code.off(slot) != r.origVal()) {
                    throw new LoadException(what + ": unexpected offset " + code.off(slot) + ", expected " + r.origVal());
                }
                if (r.newVal() > Short.MAX_VALUE) {
                    throw new LoadException(what + ": offset " + r.newVal() + " does not fit in 16 bits");
                }
                code.off(slot, (int) r.newVal());
                if (r.newSize() != r.origSize()) {
                    int size = switch (op & 0x18) {
                        case 0x00 -> 4;
                        case 0x08 -> 2;
                        case 0x10 -> 1;
                        default -> 8;
                    };
                    if (size != r.origSize()) {
                        throw new LoadException(what + ": memory access of " + size + " bytes, field of " + r.origSize());
                    }
                    int bpfSize = switch ((int) r.newSize()) {
                        case 1 -> 0x10;
                        case 2 -> 0x08;
                        case 4 -> 0x00;
                        case 8 -> 0x18;
                        default -> throw new LoadException(what + ": kernel field size " + r.newSize() + " is not loadable");
                    };
                    code.code(slot, (op & 0xe0) | bpfSize | cls);
                }
            }
            case 0x00 -> { // BPF_LD: only ld_imm64
                if (!code.isLdImm64(slot) || code.src(slot) != 0) {
                    throw new LoadException(what + ": not a plain 64-bit immediate load");
                }
                long imm = Integer.toUnsignedLong(code.imm(slot)) | (long) code.imm(slot + 1) << 32;
                if (r.validate() && imm != r.origVal()) {
                    throw new LoadException(what + ": unexpected immediate " + imm + ", expected " + r.origVal());
                }
                code.imm(slot, (int) r.newVal());
                code.imm(slot + 1, (int) (r.newVal() >>> 32));
            }
            default -> throw new LoadException(what + ": instruction class " + cls + " cannot be relocated");
        }
    }

    private static void poison(InstructionBuffer code, int slot) {
        code.code(slot, InstructionBuffer.CALL);
        code.registers(slot, 0, 0);
        code.off(slot, 0);
        code.imm(slot, POISON);
    }
}
