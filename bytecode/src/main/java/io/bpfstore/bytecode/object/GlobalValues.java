package io.bpfstore.bytecode.object;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Values for an object's global variables set before load, the way a skeleton sets {@code const volatile}
 * configuration in {@code .rodata} (or writable {@code .data}) before {@code bpf_object__load}: each
 * {@code NAME=VALUE} is found among the variables of the object's {@code .rodata*} and {@code .data*} DATASECs and
 * encoded by its BTF type: integers of every width and sign (decimal, or {@code 0x} hex), {@code bool}
 * ({@code true}/{@code false}/{@code 1}/{@code 0}), {@code char} (one character or a number), enums by enumerator
 * name (or number), and {@code char[N]} arrays by a string of fewer than N bytes (zero-padded).
 */
public final class GlobalValues {
    /**
     * Bytes to write over a global-data section's initial contents.
     *
     * @param section the section ({@code .rodata}, {@code .data}...)
     * @param offset  the variable's offset in it
     * @param bytes   the encoded value, as long as the variable
     */
    public record Patch(String section, long offset, byte[] bytes) {
    }

    private GlobalValues() {
    }

    /**
     * The patches that set {@code values} (variable name to text) in {@code object}.
     *
     * @throws GlobalValueException naming the variable (and its type) that does not exist or cannot take the value
     */
    public static List<Patch> resolve(BpfObject object, Map<String, String> values) {
        List<Patch> patches = new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            patches.add(resolve(object, e.getKey(), e.getValue()));
        }
        return patches;
    }

    /** {@code initial} (a section's initial contents) with the patches for {@code section} written over it. */
    public static byte[] apply(byte[] initial, String section, List<Patch> patches) {
        byte[] out = initial.clone();
        for (Patch p : patches) {
            if (p.section().equals(section)) {
                System.arraycopy(p.bytes(), 0, out, (int) p.offset(), p.bytes().length);
            }
        }
        return out;
    }

    /**
     * The object file {@code elf} (the bytes {@code object} was parsed from) with {@code values} written into its
     * {@code .rodata}/{@code .data} section bytes: the object configured once, so that every later load of it
     * (an installation's recompositions and restarts included) starts from these values.
     *
     * @throws GlobalValueException as {@link #resolve(BpfObject, Map)}
     */
    public static byte[] configure(byte[] elf, BpfObject object, Map<String, String> values) {
        byte[] out = elf.clone();
        for (Patch p : resolve(object, values)) {
            io.bpfstore.bytecode.elf.Section section = object.elf().section(p.section()).orElseThrow();
            if (section.type() == io.bpfstore.bytecode.elf.Section.SHT_NOBITS
                    || section.offset() + p.offset() + p.bytes().length > out.length) {
                throw new GlobalValueException(p.section(), "set global in " + p.section() + ": the section has no"
                        + " bytes in the file to configure");
            }
            System.arraycopy(p.bytes(), 0, out, (int) (section.offset() + p.offset()), p.bytes().length);
        }
        return out;
    }

    private static Patch resolve(BpfObject object, String name, String text) {
        Btf btf = object.btf().orElseThrow(() -> new GlobalValueException(name, "set global " + name + ": object "
                + object.name() + " has no BTF (built without -g), so its variables' types are unknown"));
        List<String> found = new ArrayList<>();
        Patch patch = null;
        for (BtfType t : btf.types()) {
            if (!(t instanceof BtfType.Datasec ds) || !settable(ds.name())) {
                continue;
            }
            for (BtfType.VarSecinfo v : ds.vars()) {
                if (btf.type(v.type()) instanceof BtfType.Var var && var.name().equals(name)) {
                    found.add(ds.name());
                    // clang leaves DATASEC offsets and sizes for the loader to fill in from the symbol table
                    long offset = object.elf().section(ds.name()).flatMap(sec -> object.elf().symbols().stream()
                            .filter(sym -> sym.sectionIndex() == sec.index() && sym.name().equals(name)).findFirst())
                            .map(io.bpfstore.bytecode.elf.Symbol::value).orElse(v.offset());
                    long size = btf.sizeof(var.type());
                    long sectionSize = object.elf().section(ds.name()).map(io.bpfstore.bytecode.elf.Section::size)
                            .orElse(0L);
                    if (offset < 0 || offset + size > sectionSize) {
                        throw new GlobalValueException(name, "set global " + name + ": its " + size + " bytes at "
                                + offset + " lie outside section " + ds.name() + " (" + sectionSize + " bytes)");
                    }
                    patch = new Patch(ds.name(), offset, encode(btf, var.type(), (int) size, name, text,
                            object.order()));
                }
            }
        }
        if (found.isEmpty()) {
            throw new GlobalValueException(name, "set global " + name + ": object " + object.name()
                    + " has no variable " + name + " in .rodata or .data (it has " + names(object, btf) + ")");
        }
        if (found.size() > 1) {
            throw new GlobalValueException(name, "set global " + name + ": object " + object.name()
                    + " has a variable " + name + " in each of " + found + "; it cannot be told which");
        }
        return patch;
    }

    private static boolean settable(String section) {
        return section.equals(".rodata") || section.startsWith(".rodata.") || section.equals(".data")
                || section.startsWith(".data.");
    }

    private static List<String> names(BpfObject object, Btf btf) {
        List<String> names = new ArrayList<>();
        for (BtfType t : btf.types()) {
            if (t instanceof BtfType.Datasec ds && settable(ds.name())) {
                ds.vars().forEach(v -> names.add(btf.type(v.type()).name()));
            }
        }
        return names;
    }

    private static byte[] encode(Btf btf, int typeId, int size, String name, String text, ByteOrder order) {
        BtfType type = btf.resolve(typeId);
        String typeName = typeName(btf, typeId);
        String what = "set global " + name + " (" + typeName + ") to \"" + text + "\": ";
        return switch (type) {
            case BtfType.Int i when (i.encoding() & BtfType.Int.BOOL) != 0 -> switch (text) {
                case "true", "1" -> integer(BigInteger.ONE, size, order);
                case "false", "0" -> integer(BigInteger.ZERO, size, order);
                default -> throw new GlobalValueException(name, what + "a bool is true or false");
            };
            // clang marks char by name, not by BTF_INT_CHAR
            case BtfType.Int i when ((i.encoding() & BtfType.Int.CHAR) != 0 || i.name().contains("char"))
                    && size == 1 && text.length() == 1
                    && !Character.isDigit(text.charAt(0)) -> new byte[]{(byte) text.charAt(0)};
            case BtfType.Int i -> integer(checked(number(text, name, what), size * 8, i.isSigned(), name, what), size, order);
            case BtfType.Enumeration e -> {
                BigInteger value = e.values().stream().filter(v -> v.name().equals(text)).findFirst()
                        .map(v -> e.signed() ? BigInteger.valueOf(v.value())
                                : new BigInteger(Long.toUnsignedString(v.value())))
                        .orElseGet(() -> {
                            try {
                                return number(text, name, what);
                            } catch (GlobalValueException x) {
                                throw new GlobalValueException(name, what + "not one of "
                                        + e.values().stream().map(BtfType.EnumValue::name).toList());
                            }
                        });
                yield integer(checked(value, size * 8, e.signed(), name, what), size, order);
            }
            case BtfType.Array a when btf.resolve(a.elementType()) instanceof BtfType.Int c && c.size() == 1 -> {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                if (bytes.length >= size) {
                    throw new GlobalValueException(name, what + bytes.length + " bytes and the terminating zero do"
                            + " not fit in " + size);
                }
                yield java.util.Arrays.copyOf(bytes, size);
            }
            default -> throw new GlobalValueException(name, what + "bpfstore sets integers, bool, char, enums and"
                    + " char arrays, not " + type.kind());
        };
    }

    private static BigInteger number(String text, String name, String what) {
        try {
            boolean negative = text.startsWith("-");
            String digits = negative ? text.substring(1) : text;
            BigInteger v = digits.startsWith("0x") || digits.startsWith("0X")
                    ? new BigInteger(digits.substring(2), 16) : new BigInteger(digits);
            return negative ? v.negate() : v;
        } catch (NumberFormatException e) {
            throw new GlobalValueException(name, what + "not a number");
        }
    }

    private static BigInteger checked(BigInteger v, int bits, boolean signed, String name, String what) {
        BigInteger min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
        BigInteger max = signed ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw new GlobalValueException(name, what + "out of range " + min + ".." + max);
        }
        return v;
    }

    private static byte[] integer(BigInteger v, int size, ByteOrder order) {
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            byte b = v.shiftRight(8 * i).byteValue();
            out[order == ByteOrder.LITTLE_ENDIAN ? i : size - 1 - i] = b;
        }
        return out;
    }

    /** The variable's type as C spells it, for messages: typedef names kept, qualifiers dropped. */
    private static String typeName(Btf btf, int id) {
        BtfType t = btf.type(id);
        while (t instanceof BtfType.Qualifier q && !(t instanceof BtfType.Typedef)) {
            t = btf.type(q.type());
        }
        return switch (t) {
            case BtfType.Enumeration e -> "enum " + e.name();
            case BtfType.Array a -> typeName(btf, a.elementType()) + "[" + a.count() + "]";
            default -> t.name().isEmpty() ? t.kind().toString().toLowerCase(java.util.Locale.ROOT) : t.name();
        };
    }
}
