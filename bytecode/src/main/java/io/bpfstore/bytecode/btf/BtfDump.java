package io.bpfstore.bytecode.btf;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Prints BTF the way {@code bpftool btf dump file <obj>} does in its default (raw) format: one line
 * {@code [id] KIND 'name' ...} per type, followed by one tab-indented line per member, enumerator, parameter or
 * section variable. Anonymous names print as {@code (anon)}.
 *
 * <p>Matching bpftool byte for byte is the point: it is the format people already read, and the tests compare it
 * with bpftool's output. For split BTF only the split's own types are printed, as bpftool does.
 */
public final class BtfDump {
    private BtfDump() {
    }

    /**
     * Writes every type of {@code btf} (its own, not its base's), each line ended by {@code \n}.
     *
     * @throws UncheckedIOException if {@code out} fails
     */
    public static void write(Btf btf, Appendable out) {
        try {
            for (BtfType t : btf.types()) {
                out.append(format(btf, t)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole dump as one string; for large BTF (vmlinux) prefer {@link #write} to a stream. */
    public static String toString(Btf btf) {
        StringBuilder sb = new StringBuilder();
        write(btf, sb);
        return sb.toString();
    }

    /** One type's lines, separated by {@code \n}, without a final line break. */
    public static String format(Btf btf, BtfType type) {
        StringBuilder sb = new StringBuilder(64);
        sb.append('[').append(type.id()).append("] ").append(type.kind()).append(' ');
        quoted(sb, type.name());
        switch (type) {
            case BtfType.Int i -> sb.append(" size=").append(i.size()).append(" bits_offset=").append(i.bitOffset())
                    .append(" nr_bits=").append(i.bits()).append(" encoding=").append(encoding(i.encoding()));
            case BtfType.Ptr p -> typeId(sb, p.type());
            case BtfType.Qualifier q -> typeId(sb, q.type());
            case BtfType.Array a -> sb.append(" type_id=").append(a.elementType()).append(" index_type_id=")
                    .append(a.indexType()).append(" nr_elems=").append(a.count());
            case BtfType.Composite c -> {
                sb.append(" size=").append(c.size()).append(" vlen=").append(c.members().size());
                for (BtfType.Member m : c.members()) {
                    sb.append("\n\t");
                    quoted(sb, m.name());
                    sb.append(" type_id=").append(m.type()).append(" bits_offset=").append(m.bitOffset());
                    if (m.bitfieldSize() != 0) {
                        sb.append(" bitfield_size=").append(m.bitfieldSize());
                    }
                }
            }
            case BtfType.Enum e -> {
                enumHeader(sb, e);
                for (BtfType.EnumValue v : e.values()) {
                    sb.append("\n\t");
                    quoted(sb, v.name());
                    sb.append(" val=").append(v.value());
                }
            }
            case BtfType.Enum64 e -> {
                enumHeader(sb, e);
                for (BtfType.EnumValue v : e.values()) {
                    sb.append("\n\t");
                    quoted(sb, v.name());
                    sb.append(" val=");
                    if (e.signed()) {
                        sb.append(v.value()).append("LL");
                    } else {
                        sb.append(Long.toUnsignedString(v.value())).append("ULL");
                    }
                }
            }
            case BtfType.Fwd f -> sb.append(" fwd_kind=").append(f.union() ? "union" : "struct");
            case BtfType.Func f -> sb.append(" type_id=").append(f.type()).append(" linkage=")
                    .append(f.linkage().label());
            case BtfType.FuncProto p -> {
                sb.append(" ret_type_id=").append(p.returnType()).append(" vlen=").append(p.params().size());
                for (BtfType.Param param : p.params()) {
                    sb.append("\n\t");
                    quoted(sb, param.name());
                    sb.append(" type_id=").append(param.type());
                }
            }
            case BtfType.Var v -> sb.append(" type_id=").append(v.type()).append(", linkage=")
                    .append(v.linkage().label());
            case BtfType.Datasec d -> {
                sb.append(" size=").append(d.size()).append(" vlen=").append(d.vars().size());
                for (BtfType.VarSecinfo v : d.vars()) {
                    sb.append("\n\ttype_id=").append(v.type()).append(" offset=").append(v.offset())
                            .append(" size=").append(v.size());
                    BtfType target = btf.type(v.type());
                    sb.append(" (").append(target.kind()).append(' ');
                    quoted(sb, target.name());
                    sb.append(')');
                }
            }
            case BtfType.Float f -> sb.append(" size=").append(f.size());
            case BtfType.DeclTag d -> sb.append(" type_id=").append(d.type()).append(" component_idx=")
                    .append(d.componentIndex());
            case BtfType.Void v -> {
            }
        }
        return sb.toString();
    }

    private static void enumHeader(StringBuilder sb, BtfType.Enumeration e) {
        sb.append(" encoding=").append(e.signed() ? "SIGNED" : "UNSIGNED").append(" size=").append(e.size())
                .append(" vlen=").append(e.values().size());
    }

    private static void typeId(StringBuilder sb, int id) {
        sb.append(" type_id=").append(id);
    }

    private static void quoted(StringBuilder sb, String name) {
        sb.append('\'').append(name.isEmpty() ? "(anon)" : name).append('\'');
    }

    /** bpftool prints only one encoding: the first match of 0, SIGNED, CHAR, BOOL; anything else is UNKN. */
    private static String encoding(int encoding) {
        return switch (encoding) {
            case 0 -> "(none)";
            case BtfType.Int.SIGNED -> "SIGNED";
            case BtfType.Int.CHAR -> "CHAR";
            case BtfType.Int.BOOL -> "BOOL";
            default -> "UNKN";
        };
    }
}
