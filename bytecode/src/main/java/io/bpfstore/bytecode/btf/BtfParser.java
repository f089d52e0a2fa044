package io.bpfstore.bytecode.btf;

import static io.bpfstore.bytecode.btf.MalformedBtfException.BTF;

import io.bpfstore.bytecode.ByteReader;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes one BTF blob into type records. Every fault becomes a {@link MalformedBtfException} at the offset of the
 * offending field, counted from the start of the blob.
 */
final class BtfParser {
    /** Size of {@code struct btf_type}. */
    private static final int TYPE_SIZE = 12;

    private final byte[] data;
    private final ByteReader in;
    private final Btf base;
    private final int firstId;
    private BtfHeader header;
    private StringTable strings;
    private final List<BtfType> types = new ArrayList<>();
    private int[] offsets = new int[64];
    /** Type references to check once the type count is known: (referenced id, offset of the field) pairs. */
    private long[] references = new long[256];
    private int referenceCount;

    private BtfParser(byte[] data, ByteOrder order, Btf base) {
        this.data = data;
        this.in = ByteReader.of(data, order, BTF);
        this.base = base;
        this.firstId = base == null ? 1 : base.typeCount();
    }

    static Btf parse(byte[] data, ByteOrder order, Btf base) {
        try {
            return new BtfParser(data, order, base).parse();
        } catch (MalformedBtfException e) {
            throw e;
        } catch (io.bpfstore.bytecode.MalformedObjectException e) {
            throw MalformedBtfException.of(e);
        }
    }

    private MalformedBtfException fail(long offset, String problem) {
        return new MalformedBtfException(BTF, offset, problem);
    }

    private Btf parse() {
        readHeader();
        readTypes();
        int count = firstId + types.size();
        for (int i = 0; i < referenceCount; i++) {
            long id = references[i] >>> 32;
            if (id >= count) {
                throw fail(references[i] & 0xffffffffL,
                        "type id " + id + " out of range (the last type id is " + (count - 1) + ")");
            }
        }
        Btf btf = new Btf(base, in.order(), header, strings, types, Arrays.copyOf(offsets, types.size()));
        checkTargets(btf);
        TypeCycles.check(btf);
        return btf;
    }

    /**
     * The references whose target kind the format fixes, as the kernel checks them: a FUNC's type is a FUNC_PROTO,
     * a DATASEC holds VARs (and FUNCs, for extern kfuncs in {@code .ksyms}), and a DECL_TAG's component index
     * names an existing member or parameter.
     */
    private void checkTargets(Btf btf) {
        for (BtfType t : types) {
            long at = btf.offsetOf(t.id());
            switch (t) {
                case BtfType.Func f when !(btf.type(f.type()) instanceof BtfType.FuncProto) ->
                        throw fail(at + 8, "FUNC [" + f.id() + "] '" + f.name() + "' has type [" + f.type() + "] "
                                + btf.type(f.type()).kind() + ", not a FUNC_PROTO");
                case BtfType.Datasec d -> {
                    for (int i = 0; i < d.vars().size(); i++) {
                        BtfType v = btf.type(d.vars().get(i).type());
                        if (!(v instanceof BtfType.Var || v instanceof BtfType.Func)) {
                            throw fail(at + 12 + 12L * i, "DATASEC [" + d.id() + "] '" + d.name() + "' holds ["
                                    + v.id() + "] " + v.kind() + ", not a VAR or FUNC");
                        }
                    }
                }
                case BtfType.DeclTag tag when tag.componentIndex() >= 0 -> {
                    BtfType target = btf.type(tag.type());
                    int components = switch (target) {
                        case BtfType.Composite c -> c.members().size();
                        case BtfType.Func f when btf.type(f.type()) instanceof BtfType.FuncProto p ->
                                p.params().size();
                        default -> 0;
                    };
                    if (tag.componentIndex() >= components) {
                        throw fail(at + 12, "DECL_TAG [" + tag.id() + "] names component " + tag.componentIndex()
                                + " of [" + target.id() + "] " + target.kind() + ", which has " + components);
                    }
                }
                default -> {
                }
            }
        }
    }

    private void readHeader() {
        long hdrLen = BtfHeader.checkPreamble(in, BtfHeader.SIZE, "the " + BtfHeader.SIZE + "-byte header", this::fail);
        long typeOff = in.u32(8), typeLen = in.u32(12), strOff = in.u32(16), strLen = in.u32(20);
        // A longer header is a newer format; its extra fields are only safe to ignore while they are zero.
        for (long i = BtfHeader.SIZE; i < hdrLen; i++) {
            if (in.u8(i) != 0) {
                throw fail(i, "unknown non-zero header field (header length " + hdrLen + ")");
            }
        }
        long body = in.length() - hdrLen;
        if (typeOff > body || typeLen > body - typeOff) {
            throw fail(12, "type section (offset " + typeOff + ", length " + typeLen + ") extends past the end ("
                    + body + " bytes after the header)");
        }
        if ((typeOff & 3) != 0) {
            throw fail(8, "type section offset " + typeOff + " is not 4-byte aligned");
        }
        if (strOff > body || strLen > body - strOff) {
            throw fail(20, "string section (offset " + strOff + ", length " + strLen + ") extends past the end ("
                    + body + " bytes after the header)");
        }
        if (typeLen > 0 && strLen > 0 && typeOff < strOff + strLen && strOff < typeOff + typeLen) {
            throw fail(16, "string section (offset " + strOff + ", length " + strLen
                    + ") overlaps the type section (offset " + typeOff + ", length " + typeLen + ")");
        }
        header = new BtfHeader(in.u8(2), in.u8(3), hdrLen, typeOff, typeLen, strOff, strLen);
        long strStart = hdrLen + strOff;
        if (strLen == 0) {
            if (base == null) {
                throw fail(20, "string section is empty (it must hold at least the empty string)");
            }
        } else {
            if (base == null && in.u8(strStart) != 0) {
                throw fail(strStart, "string section does not start with the empty string (NUL)");
            }
            if (in.u8(strStart + strLen - 1) != 0) {
                throw fail(strStart + strLen - 1, "string section does not end with NUL");
            }
        }
        strings = new StringTable(base == null ? null : base.strings(), data, (int) strStart, (int) strLen);
    }

    private void readTypes() {
        long start = header.headerLength() + header.typeOffset();
        long end = start + header.typeLength();
        long pos = start;
        while (pos < end) {
            int id = firstId + types.size();
            if (end - pos < TYPE_SIZE) {
                throw fail(pos, "type [" + id + "] record truncated: " + (end - pos)
                        + " bytes left in the type section, a type needs " + TYPE_SIZE);
            }
            long nameOff = in.u32(pos);
            long info = in.u32(pos + 4);
            long sizeOrType = in.u32(pos + 8);
            int kindNumber = (int) (info >>> 24) & 0x1f;
            int vlen = (int) (info & 0xffff);
            boolean kflag = (info >>> 31) != 0;
            BtfKind kind = BtfKind.ofNumber(kindNumber);
            if (kind == null || kind == BtfKind.UNKNOWN) {
                throw fail(pos + 4, "type [" + id + "] has unknown kind " + kindNumber);
            }
            long extra = switch (kind) {
                case INT, VAR, DECL_TAG -> 4;
                case ARRAY -> 12;
                case STRUCT, UNION, DATASEC, ENUM64 -> 12L * vlen;
                case ENUM, FUNC_PROTO -> 8L * vlen;
                default -> 0;
            };
            if (end - pos - TYPE_SIZE < extra) {
                throw fail(pos + 4, "type [" + id + "] " + kind + " with vlen " + vlen + " needs " + extra
                        + " bytes after its header, but only " + (end - pos - TYPE_SIZE)
                        + " remain in the type section");
            }
            String name = name(nameOff, pos, id);
            long body = pos + TYPE_SIZE;
            BtfType type = switch (kind) {
                case INT -> {
                    long v = in.u32(body);
                    int bits = (int) (v & 0xff);
                    int offset = (int) (v >>> 16) & 0xff;
                    if (bits > 128 || offset + bits > 8 * sizeOrType) {
                        throw fail(body, "type [" + id + "] INT has " + bits + " bits at bit offset " + offset
                                + " in " + sizeOrType + " bytes");
                    }
                    yield new BtfType.Int(id, name, sizeOrType, (int) (v >>> 24) & 0x0f, offset, bits);
                }
                case PTR -> new BtfType.Ptr(id, name, ref(sizeOrType, pos + 8));
                case ARRAY -> new BtfType.Array(id, name, ref(in.u32(body), body), ref(in.u32(body + 4), body + 4),
                        in.u32(body + 8));
                case STRUCT, UNION -> {
                    List<BtfType.Member> members = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++) {
                        long m = body + 12L * i;
                        long off = in.u32(m + 8);
                        members.add(new BtfType.Member(name(in.u32(m), m, id), ref(in.u32(m + 4), m + 4),
                                kflag ? off & 0xffffff : off, kflag ? (int) (off >>> 24) : 0));
                    }
                    yield kind == BtfKind.STRUCT
                            ? new BtfType.Struct(id, name, sizeOrType, kflag, members)
                            : new BtfType.Union(id, name, sizeOrType, kflag, members);
                }
                case ENUM -> {
                    List<BtfType.EnumValue> values = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++) {
                        long e = body + 8L * i;
                        int raw = in.s32(e + 4);
                        values.add(new BtfType.EnumValue(name(in.u32(e), e, id), kflag ? raw : raw & 0xffffffffL));
                    }
                    yield new BtfType.Enum(id, name, sizeOrType, kflag, values);
                }
                case ENUM64 -> {
                    List<BtfType.EnumValue> values = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++) {
                        long e = body + 12L * i;
                        long value = in.u32(e + 8) << 32 | in.u32(e + 4);
                        values.add(new BtfType.EnumValue(name(in.u32(e), e, id), value));
                    }
                    yield new BtfType.Enum64(id, name, sizeOrType, kflag, values);
                }
                case FWD -> new BtfType.Fwd(id, name, kflag);
                case TYPEDEF -> new BtfType.Typedef(id, name, ref(sizeOrType, pos + 8));
                case VOLATILE -> new BtfType.Volatile(id, name, ref(sizeOrType, pos + 8));
                case CONST -> new BtfType.Const(id, name, ref(sizeOrType, pos + 8));
                case RESTRICT -> new BtfType.Restrict(id, name, ref(sizeOrType, pos + 8));
                case TYPE_TAG -> new BtfType.TypeTag(id, name, ref(sizeOrType, pos + 8));
                case FUNC -> new BtfType.Func(id, name, ref(sizeOrType, pos + 8), linkage(vlen, pos + 4, id));
                case FUNC_PROTO -> {
                    List<BtfType.Param> params = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++) {
                        long p = body + 8L * i;
                        params.add(new BtfType.Param(name(in.u32(p), p, id), ref(in.u32(p + 4), p + 4)));
                    }
                    yield new BtfType.FuncProto(id, name, ref(sizeOrType, pos + 8), params);
                }
                case VAR -> new BtfType.Var(id, name, ref(sizeOrType, pos + 8), linkage(in.u32(body), body, id));
                case DATASEC -> {
                    List<BtfType.VarSecinfo> vars = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++) {
                        long v = body + 12L * i;
                        vars.add(new BtfType.VarSecinfo(ref(in.u32(v), v), in.u32(v + 4), in.u32(v + 8)));
                    }
                    yield new BtfType.Datasec(id, name, sizeOrType, vars);
                }
                case FLOAT -> new BtfType.Float(id, name, sizeOrType);
                case DECL_TAG -> {
                    int component = in.s32(body);
                    if (component < -1) {
                        throw fail(body, "type [" + id + "] DECL_TAG has component index " + component);
                    }
                    yield new BtfType.DeclTag(id, name, ref(sizeOrType, pos + 8), component);
                }
                case UNKNOWN -> throw new AssertionError("rejected above");
            };
            if (types.size() == offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            offsets[types.size()] = (int) pos;
            types.add(type);
            pos = body + extra;
        }
    }

    private String name(long offset, long fieldOffset, int id) {
        String s = strings.at(offset);
        if (s == null) {
            throw fail(fieldOffset, "type [" + id + "] names string offset " + offset
                    + ", outside the string section (" + strings.size() + " bytes)");
        }
        return s;
    }

    private Linkage linkage(long value, long fieldOffset, int id) {
        if (value > 2) {
            throw fail(fieldOffset, "type [" + id + "] has unknown linkage " + value);
        }
        return Linkage.values()[(int) value];
    }

    /** Notes a type reference for the range check after all types are read. */
    private int ref(long id, long fieldOffset) {
        if (referenceCount == references.length) {
            references = Arrays.copyOf(references, references.length * 2);
        }
        references[referenceCount++] = id << 32 | fieldOffset;
        return (int) Math.min(id, Integer.MAX_VALUE);
    }
}
