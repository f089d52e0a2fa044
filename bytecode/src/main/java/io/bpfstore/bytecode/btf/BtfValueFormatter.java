package io.bpfstore.bytecode.btf;

import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes raw bytes of a BTF-described value (a map key or value, a ring buffer record) into plain Java values
 * that serialize to JSON as {@code bpftool map dump} prints its {@code formatted} part: structs and unions as maps
 * from member name to value (in member order; anonymous members' fields inline), arrays as lists (arrays of
 * {@code char} as strings when they hold a NUL-terminated printable string), integers as {@link Long} (unsigned
 * 64-bit values above {@code Long.MAX_VALUE} and 128-bit values as {@link BigInteger}), {@code bool} as
 * {@link Boolean}, enums by enumerator name (the number when none matches), floats as {@link Double}, pointers as
 * their address. Typedefs and qualifiers are transparent. Bytes are read in the BTF's byte order.
 *
 * <p>Usage: {@code Object v = new BtfValueFormatter(btf).decode(def.valueTypeId(), bytes, 0);}
 */
public final class BtfValueFormatter {
    private final Btf btf;
    private final boolean little;

    /** Decodes with the types of {@code btf}. */
    public BtfValueFormatter(Btf btf) {
        this.btf = btf;
        this.little = btf.order() == ByteOrder.LITTLE_ENDIAN;
    }

    /**
     * The value of type {@code typeId} at {@code offset} of {@code data}.
     *
     * @throws IllegalArgumentException if the type has no size or the bytes are shorter than the type
     */
    public Object decode(int typeId, byte[] data, int offset) {
        long size = btf.sizeof(typeId);
        if (offset < 0 || offset + size > data.length) {
            throw new IllegalArgumentException("a value of BTF type " + typeId + " needs " + size + " bytes at offset "
                    + offset + ", have " + data.length);
        }
        return value(typeId, data, offset, 0, 0);
    }

    /** The value of {@code typeId} at {@code offset}; {@code bitOffset}/{@code bitSize} for struct bitfield members. */
    private Object value(int typeId, byte[] data, int offset, long bitOffset, int bitSize) {
        BtfType t = btf.resolve(typeId);
        return switch (t) {
            case BtfType.Int i -> integer(i, data, offset, bitOffset, bitSize);
            case BtfType.Enumeration e -> enumeration(e, data, offset, bitOffset, bitSize);
            case BtfType.Ptr p -> unsigned(data, offset, 8, 0, 64);
            case BtfType.Float f -> f.size() == 4 ? (Object) (double) Float.intBitsToFloat((int) raw(data, offset, 4))
                    : (Object) Double.longBitsToDouble(raw(data, offset, 8));
            case BtfType.Array a -> array(a, data, offset);
            case BtfType.Struct s -> members(s.members(), s.bitfieldEncoding(), data, offset);
            case BtfType.Union u -> members(u.members(), u.bitfieldEncoding(), data, offset);
            case BtfType.Var v -> value(v.type(), data, offset, 0, 0);
            case BtfType.Datasec d -> {
                Map<String, Object> vars = new LinkedHashMap<>();
                for (BtfType.VarSecinfo s : d.vars()) {
                    vars.put(btf.type(s.type()).name(), value(s.type(), data, offset + (int) s.offset(), 0, 0));
                }
                yield vars;
            }
            default -> throw new IllegalArgumentException("BTF type " + typeId + " (" + t.kind() + ") has no value");
        };
    }

    private Object integer(BtfType.Int i, byte[] data, int offset, long bitOffset, int bitSize) {
        int bits = bitSize != 0 ? bitSize : i.bits();
        long shift = bitOffset + i.bitOffset();
        if (i.size() == 16 && bits == 128) {
            byte[] be = new byte[16];
            for (int k = 0; k < 16; k++) {
                be[k] = data[offset + (little ? 15 - k : k)];
            }
            return i.isSigned() ? new BigInteger(be) : new BigInteger(1, be);
        }
        if ((i.encoding() & BtfType.Int.BOOL) != 0) {
            return unsignedLong(data, offset, (int) i.size(), shift, bits) != 0;
        }
        if (i.isSigned()) {
            long v = unsignedLong(data, offset, (int) i.size(), shift, bits);
            return bits == 64 ? v : (v << (64 - bits)) >> (64 - bits);
        }
        return unsigned(data, offset, (int) i.size(), shift, bits);
    }

    private Object enumeration(BtfType.Enumeration e, byte[] data, int offset, long bitOffset, int bitSize) {
        int size = (int) e.size();
        int bits = bitSize != 0 ? bitSize : size * 8;
        long v = unsignedLong(data, offset, size, bitOffset, bits);
        long mask = bits >= 64 ? -1L : (1L << bits) - 1;
        for (BtfType.EnumValue ev : e.values()) {
            if ((ev.value() & mask) == v) {
                return ev.name();
            }
        }
        return e.signed() && bits < 64 ? (v << (64 - bits)) >> (64 - bits) : v;
    }

    private Object array(BtfType.Array a, byte[] data, int offset) {
        long elementSize = btf.sizeof(a.elementType());
        BtfType element = btf.resolve(a.elementType());
        if (element instanceof BtfType.Int i && i.size() == 1 && (i.encoding() & BtfType.Int.CHAR) != 0 || element
                instanceof BtfType.Int j && j.size() == 1 && btf.type(a.elementType()).name().equals("char")) {
            String s = printableString(data, offset, (int) a.count());
            if (s != null) {
                return s;
            }
        }
        List<Object> out = new ArrayList<>((int) a.count());
        for (long k = 0; k < a.count(); k++) {
            out.add(value(a.elementType(), data, (int) (offset + k * elementSize), 0, 0));
        }
        return out;
    }

    /** The string the bytes hold when they are printable up to a NUL within the array, else null. */
    private static String printableString(byte[] data, int offset, int length) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < length; k++) {
            int c = data[offset + k] & 0xff;
            if (c == 0) {
                return s.toString();
            }
            if (c < 0x20 || c > 0x7e) {
                return null;
            }
            s.append((char) c);
        }
        return null;
    }

    private Map<String, Object> members(List<BtfType.Member> members, boolean bitfields, byte[] data, int offset) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (BtfType.Member m : members) {
            long bitOffset = m.bitOffset();
            int bitSize = bitfields ? m.bitfieldSize() : 0;
            Object v;
            if (bitSize != 0) {
                v = value(m.type(), data, offset + (int) (bitOffset / 8), bitOffset % 8, bitSize);
            } else {
                v = value(m.type(), data, offset + (int) (bitOffset / 8), 0, 0);
            }
            if (m.name().isEmpty() && v instanceof Map<?, ?> inner) {
                inner.forEach((k, x) -> out.put((String) k, x));
            } else {
                out.put(m.name(), v);
            }
        }
        return out;
    }

    /** An unsigned integer as a Long, or a BigInteger when it does not fit in a signed long. */
    private Object unsigned(byte[] data, int offset, int size, long shift, int bits) {
        long v = unsignedLong(data, offset, size, shift, bits);
        return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
    }

    private long unsignedLong(byte[] data, int offset, int size, long shift, int bits) {
        if (shift == 0 && bits == size * 8) {
            return raw(data, offset, size);
        }
        // bitfields: read the bytes that hold them (at most 9 for a 64-bit field not byte-aligned)
        int bytes = (int) ((shift + bits + 7) / 8);
        BigInteger all = BigInteger.ZERO;
        for (int k = 0; k < bytes; k++) {
            int b = data[offset + (little ? bytes - 1 - k : k)] & 0xff;
            all = all.shiftLeft(8).or(BigInteger.valueOf(b));
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        int from = little ? (int) shift : bytes * 8 - (int) shift - bits;
        return all.shiftRight(from).and(mask).longValue();
    }

    private long raw(byte[] data, int offset, int size) {
        long v = 0;
        for (int k = 0; k < size; k++) {
            int b = data[offset + (little ? size - 1 - k : k)] & 0xff;
            v = (v << 8) | b;
        }
        return v;
    }
}
