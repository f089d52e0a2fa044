package io.bpfstore.bytecode.btf;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parsed BTF type information: the {@code .BTF} section of an eBPF object, or a raw BTF file such as
 * {@code /sys/kernel/btf/vmlinux}. Immutable and safe to share between threads.
 *
 * <p>Type ids start at 1; id 0 is {@code void}. A split BTF (a kernel module's, parsed against vmlinux as its base)
 * continues its base's ids and string offsets, and lookups here see the base's types too.
 *
 * <p>Parsing checks the header, the string section, every record's length against the bytes left, every string
 * offset and type reference against the tables, and rejects cycles that do not pass through a pointer, so that
 * {@link #resolve(int)} and {@link #sizeof(int)} always terminate.
 */
public final class Btf {
    private final Btf base;
    private final ByteOrder order;
    private final BtfHeader header;
    private final StringTable strings;
    private final List<BtfType> types;
    private final int[] offsets;
    private final int firstId;
    private final Map<String, List<BtfType>> byName;

    Btf(Btf base, ByteOrder order, BtfHeader header, StringTable strings, List<BtfType> types, int[] offsets) {
        this.base = base;
        this.order = order;
        this.header = header;
        this.strings = strings;
        this.types = Collections.unmodifiableList(new ArrayList<>(types));
        this.offsets = offsets;
        this.firstId = base == null ? 1 : base.typeCount();
        Map<String, List<BtfType>> names = new HashMap<>();
        for (BtfType t : types) {
            if (!t.isAnonymous()) {
                names.computeIfAbsent(t.name(), k -> new ArrayList<>(1)).add(t);
            }
        }
        names.replaceAll((k, v) -> List.copyOf(v));
        this.byName = names;
    }

    /**
     * Parses a BTF blob whose byte order is told by its magic number.
     *
     * @throws MalformedBtfException if the blob is not valid BTF
     */
    public static Btf parse(byte[] data) {
        return parse(data, detectOrder(data));
    }

    /**
     * Parses a BTF blob in the given byte order (an ELF object's order).
     *
     * @throws MalformedBtfException if the blob is not valid BTF, including a magic in the other byte order
     */
    public static Btf parse(byte[] data, ByteOrder order) {
        return BtfParser.parse(data, order, null);
    }

    /**
     * Parses split BTF (e.g. {@code /sys/kernel/btf/<module>}) on top of {@code base}: its ids continue after the
     * base's last id and its string offsets after the base's string section.
     *
     * @throws MalformedBtfException if the blob is not valid BTF
     */
    public static Btf parseSplit(byte[] data, ByteOrder order, Btf base) {
        return BtfParser.parse(data, order, java.util.Objects.requireNonNull(base, "base"));
    }

    /**
     * The byte order of a BTF blob, from how its magic {@code 0xeB9F} is stored.
     *
     * @throws MalformedBtfException if the blob is too short or does not start with the magic in either order
     */
    public static ByteOrder detectOrder(byte[] data) {
        if (data.length < 2) {
            throw new MalformedBtfException(MalformedBtfException.BTF, 0,
                    "too short for a BTF header (" + data.length + " bytes)");
        }
        int first = data[0] & 0xff, second = data[1] & 0xff;
        if (first == 0x9f && second == 0xeb) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        if (first == 0xeb && second == 0x9f) {
            return ByteOrder.BIG_ENDIAN;
        }
        throw new MalformedBtfException(MalformedBtfException.BTF, 0,
                String.format("bad magic %02x %02x (expected 0xeB9F in either byte order)", first, second));
    }

    /** Byte order of the blob. */
    public ByteOrder order() {
        return order;
    }

    /** The header as read. */
    public BtfHeader header() {
        return header;
    }

    /** The base BTF of a split BTF. */
    public Optional<Btf> base() {
        return Optional.ofNullable(base);
    }

    /** The first id of this blob's own types: 1, or the base's {@link #typeCount()} for split BTF. */
    public int firstId() {
        return firstId;
    }

    /** One more than the last type id (counting void and any base), as libbpf's {@code btf__type_cnt}. */
    public int typeCount() {
        return firstId + types.size();
    }

    /** This blob's own types in id order (a split BTF's list excludes the base's). */
    public List<BtfType> types() {
        return types;
    }

    /**
     * The type with id {@code id}; 0 is {@link BtfType.Void}.
     *
     * @throws IllegalArgumentException if there is no such id
     */
    public BtfType type(int id) {
        if (id == 0) {
            return BtfType.Void.INSTANCE;
        }
        if (id < firstId) {
            if (base != null && id > 0) {
                return base.type(id);
            }
            throw new IllegalArgumentException("no BTF type id " + id);
        }
        if (id >= typeCount()) {
            throw new IllegalArgumentException("no BTF type id " + id + " (the last is " + (typeCount() - 1) + ")");
        }
        return types.get(id - firstId);
    }

    /**
     * Byte offset of type {@code id}'s record from the start of the blob that holds it (the base's blob for a base
     * type), for messages that point into a hex dump.
     *
     * @throws IllegalArgumentException if there is no such record (void, or out of range)
     */
    public long offsetOf(int id) {
        if (id < firstId && base != null) {
            return base.offsetOf(id);
        }
        if (id < firstId || id >= typeCount()) {
            throw new IllegalArgumentException("no BTF type record for id " + id);
        }
        return offsets[id - firstId];
    }

    /** All types named {@code name} (the base's first), in id order. */
    public List<BtfType> typesNamed(String name) {
        List<BtfType> own = byName.getOrDefault(name, List.of());
        if (base == null) {
            return own;
        }
        List<BtfType> inBase = base.typesNamed(name);
        if (inBase.isEmpty()) {
            return own;
        }
        List<BtfType> all = new ArrayList<>(inBase);
        all.addAll(own);
        return List.copyOf(all);
    }

    /** The first type named {@code name} of kind {@code kind}. */
    public Optional<BtfType> find(String name, BtfKind kind) {
        return typesNamed(name).stream().filter(t -> t.kind() == kind).findFirst();
    }

    /** The first type named {@code name} that is a {@code recordType}, e.g. {@code BtfType.Struct.class}. */
    public <T extends BtfType> Optional<T> find(String name, Class<T> recordType) {
        return typesNamed(name).stream().filter(recordType::isInstance).map(recordType::cast).findFirst();
    }

    /**
     * The type that {@code id} stands for once typedefs, {@code const}, {@code volatile}, {@code restrict} and
     * type tags are stripped.
     *
     * @throws IllegalArgumentException if there is no such id
     */
    public BtfType resolve(int id) {
        BtfType t = type(id);
        while (t instanceof BtfType.Qualifier q) {
            t = type(q.type());
        }
        return t;
    }

    /**
     * Size in bytes of a value of type {@code id}, following typedefs, qualifiers, arrays and variables. Pointers
     * are 8 bytes: BTF does not record a pointer size, and BPF and the kernels it runs on are 64-bit.
     *
     * @throws IllegalArgumentException if the type has no size (void, FUNC, FUNC_PROTO, FWD, DECL_TAG) or the
     *                                  size does not fit in 32 bits
     */
    public long sizeof(int id) {
        long elements = 1;
        int current = id;
        while (true) {
            BtfType t = type(current);
            long size;
            switch (t) {
                case BtfType.Qualifier q -> {
                    current = q.type();
                    continue;
                }
                case BtfType.Var v -> {
                    current = v.type();
                    continue;
                }
                case BtfType.Array a -> {
                    elements = multiply(elements, a.count(), id);
                    current = a.elementType();
                    continue;
                }
                case BtfType.Ptr p -> size = 8;
                case BtfType.Int i -> size = i.size();
                case BtfType.Float f -> size = f.size();
                case BtfType.Composite c -> size = c.size();
                case BtfType.Enumeration e -> size = e.size();
                case BtfType.Datasec d -> size = d.size();
                case BtfType.Void v -> throw noSize(id, t);
                case BtfType.Fwd f -> throw noSize(id, t);
                case BtfType.Func f -> throw noSize(id, t);
                case BtfType.FuncProto f -> throw noSize(id, t);
                case BtfType.DeclTag d -> throw noSize(id, t);
            }
            return multiply(elements, size, id);
        }
    }

    private static long multiply(long a, long b, int id) {
        long product = a * b;
        if (b != 0 && (product / b != a || product > 0xffffffffL)) {
            throw new IllegalArgumentException("size of BTF type [" + id + "] exceeds 32 bits");
        }
        return product;
    }

    private static IllegalArgumentException noSize(int id, BtfType t) {
        return new IllegalArgumentException("BTF type [" + id + "] reaches " + t.kind() + " '" + t.name()
                + "' [" + t.id() + "], which has no size");
    }

    /**
     * The string at {@code offset} of the string section (the base's for small offsets of a split BTF), or empty
     * when the offset is outside it.
     */
    public Optional<String> string(long offset) {
        return Optional.ofNullable(strings.at(offset));
    }

    StringTable strings() {
        return strings;
    }

    @Override
    public String toString() {
        return "Btf[" + types.size() + " types, ids " + firstId + ".." + (typeCount() - 1) + ", " + order + "]";
    }
}
