package io.bpfstore.analysis.summary;

import io.bpfstore.analysis.domain.Atom;
import io.bpfstore.analysis.domain.Atom.FieldTest;
import io.bpfstore.analysis.domain.Effects.PacketWrite;
import io.bpfstore.analysis.domain.Lanes;
import io.bpfstore.bytecode.asm.JumpCondition;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Renders a path's facts and writes in protocol terms ("IPv4 TCP dst port 22"). */
final class TrafficDescription {
    private TrafficDescription() {
    }

    /** The facts as words: VLAN tags, network and transport protocol first, then the other conditions. */
    static String describe(List<Atom> facts, ProgramType type) {
        HeaderLayout layout = HeaderLayout.of(facts, type);
        List<String> words = new ArrayList<>(layout.vlanTags());
        if (layout.ethertype() != 0) {
            words.add(HeaderLayout.ethertypeName(layout.ethertype()));
        }
        if (layout.protocol() >= 0 || layout.protocol() == HeaderLayout.TCP_OR_UDP) {
            words.add(HeaderLayout.protocolName(layout.protocol()));
        }
        LinkedHashSet<String> phrases = new LinkedHashSet<>();
        for (Atom a : facts) {
            String p = phrase(a, layout, facts);
            if (p != null) {
                phrases.add(p);
            }
        }
        String head = String.join(" ", words);
        String tail = String.join(", ", phrases);
        if (head.isEmpty() && tail.isEmpty()) {
            return "any traffic";
        }
        return head.isEmpty() ? tail : tail.isEmpty() ? head : head + " " + tail;
    }

    private static String phrase(Atom a, HeaderLayout layout, List<Atom> facts) {
        return switch (a) {
            case FieldTest t -> fieldPhrase(t, layout);
            case Atom.FieldIn in -> inPhrase(in, layout);
            case Atom.MapTest m -> {
                List<String> fields = keyFields(m.key(), layout, facts);
                String what = fields.isEmpty() ? "key" : fields.size() == 1 ? fields.getFirst()
                        : "(" + String.join(", ", fields) + ")";
                yield what + (m.hit() ? " in map " : " not in map ") + m.map();
            }
            case Atom.ShortPacket s -> "shorter than " + s.length() + " bytes";
            case Atom.Opaque o -> null;
            case Atom.CtxTest c -> c.offset() == HeaderLayout.SKB_PROTOCOL && c.condition() == JumpCondition.EQ
                    ? null : c.offset() == HeaderLayout.SKB_PROTOCOL && c.condition() == JumpCondition.NE
                    ? "not " + HeaderLayout.ethertypeName(Short.reverseBytes((short) c.value()) & 0xffff)
                    : ctxField(c.offset()) + " " + c.condition().symbol() + " " + c.value();
        };
    }

    private static String inPhrase(Atom.FieldIn in, HeaderLayout layout) {
        if (in.exactOffset() && layout.isAnyEthertype(in.offset(), in.size())) {
            if (in.values().equals(java.util.Set.of(0x8100L, 0x88a8L))) {
                return null; // "VLAN" in the words
            }
            return in.values().stream().map(HeaderLayout::ethertypeName).collect(
                    java.util.stream.Collectors.joining(" or "));
        }
        String name = layout.fieldName(in.offset(), in.size());
        if (layout.isProtocol(in.offset(), in.size()) && layout.protocol() == HeaderLayout.TCP_OR_UDP) {
            return null; // "TCP/UDP" in the words
        }
        if (layout.isProtocol(in.offset(), in.size()) || name.equals("next header")) {
            return in.values().stream().map(HeaderLayout::protocolName).collect(
                    java.util.stream.Collectors.joining(" or "));
        }
        if (!in.exactOffset() && !(layout.ethertype() == HeaderLayout.IPV4 && in.offset() >= layout.l4())) {
            name = name + " (after variable-length headers)";
        }
        return name + " in {" + in.values().stream().map(v -> value(layout.fieldName(in.offset(), in.size()),
                in.size(), v)).collect(java.util.stream.Collectors.joining(", ")) + "}";
    }

    /** Names of the {@code struct __sk_buff} fields programs commonly test. */
    private static String ctxField(int offset) {
        return switch (offset) {
            case 0 -> "packet length";
            case 4 -> "packet type";
            case 8 -> "mark";
            case 16 -> "protocol";
            case 40 -> "interface index";
            default -> "context field at " + offset;
        };
    }

    private static String fieldPhrase(FieldTest t, HeaderLayout layout) {
        boolean full = t.mask() == (t.size() == 8 ? -1L : (1L << (8 * t.size())) - 1);
        if (full && t.exactOffset() && layout.isAnyEthertype(t.offset(), t.size())) {
            if (t.condition() == JumpCondition.EQ) {
                return null; // in the words
            }
            if (t.condition() == JumpCondition.NE) {
                return "not " + HeaderLayout.ethertypeName(t.value());
            }
        }
        if (full && t.exactOffset() && layout.isProtocol(t.offset(), t.size())) {
            if (t.condition() == JumpCondition.EQ) {
                return null;
            }
            if (t.condition() == JumpCondition.NE) {
                return "not " + HeaderLayout.protocolName(t.value());
            }
        }
        String name = layout.fieldName(t.offset(), t.size());
        if (!t.exactOffset() && !isAfterIpv4Options(t, layout)) {
            name = name + " (after variable-length headers)";
        }
        if (layout.ethertype() == HeaderLayout.IPV4 && t.offset() == layout.l3() + 6 && t.size() == 2
                && t.mask() == 0x1fff && t.value() == 0) {
            return t.condition() == JumpCondition.EQ ? "not a fragment" : "non-first fragment";
        }
        String value = value(name, t.size(), t.value());
        if (layout.ethertype() == HeaderLayout.IPV4 && t.offset() == layout.l3() && t.size() == 1
                && t.mask() == 0x0f && t.exactOffset()) {
            if (t.condition() == JumpCondition.GE || t.condition() == JumpCondition.SGE
                    || t.condition() == JumpCondition.GT || t.condition() == JumpCondition.SGT) {
                return null; // the header is valid: not worth a word
            }
            String op = t.condition() == JumpCondition.EQ ? "" : t.condition() == JumpCondition.NE ? "not "
                    : t.condition().symbol().replace("s", "") + " ";
            return "header length " + op + (t.value() * 4) + " bytes";
        }
        if (!full) {
            return name + String.format(" & 0x%x ", t.mask()) + t.condition().symbol() + " " + value;
        }
        return switch (t.condition()) {
            case EQ -> name + " " + value;
            case NE -> name + " not " + value;
            default -> name + " " + t.condition().symbol() + " " + value;
        };
    }

    /** IPv4 options move the transport header by a variable amount; its fields are named at their least offset. */
    private static boolean isAfterIpv4Options(FieldTest t, HeaderLayout layout) {
        return layout.ethertype() == HeaderLayout.IPV4 && t.offset() >= layout.l4();
    }

    private static String value(String field, int size, long v) {
        if (field.equals("src") || field.equals("dst")) {
            if (size == 4) {
                return (v >>> 24 & 0xff) + "." + (v >>> 16 & 0xff) + "." + (v >>> 8 & 0xff) + "." + (v & 0xff);
            }
        }
        if (field.endsWith("port")) {
            return Long.toString(v);
        }
        return v < 10 ? Long.toString(v) : String.format("0x%x", v);
    }

    /** Names of the packet fields a map key's bytes come from, leaving out fields the path pinned to a constant. */
    private static List<String> keyFields(List<Integer> key, HeaderLayout layout, List<Atom> facts) {
        TreeSet<Integer> offsets = new TreeSet<>();
        for (int lane : key) {
            if (Lanes.isPacket(lane)) {
                offsets.add(lane);
            }
        }
        List<String> names = new ArrayList<>();
        for (int[] range : ranges(offsets)) {
            int off = range[0], size = range[1];
            if (pinned(facts, off, size) || layout.isProtocol(off, size)) {
                continue;
            }
            names.addAll(fieldsIn(layout, off, size));
        }
        return names;
    }

    private static boolean pinned(List<Atom> facts, int offset, int size) {
        return facts.stream().anyMatch(a -> a instanceof FieldTest t && t.condition() == JumpCondition.EQ
                && t.offset() == offset && t.size() == size && t.mask() == (size == 8 ? -1L : (1L << (8 * size)) - 1));
    }

    /** Names of the fields within {@code [offset, offset+size)}: the whole range, or split at known fields. */
    private static List<String> fieldsIn(HeaderLayout layout, int offset, int size) {
        String whole = layout.fieldName(offset, size);
        if (!whole.contains("packet byte")) {
            return List.of(whole);
        }
        List<String> names = new ArrayList<>();
        int pos = offset;
        while (pos < offset + size) {
            int found = 1;
            for (int len : new int[] {16, 6, 4, 2, 1}) {
                if (pos + len <= offset + size && !layout.fieldName(pos, len).contains("packet byte")) {
                    found = len;
                    break;
                }
            }
            String n = layout.fieldName(pos, found);
            if (names.isEmpty() || !names.getLast().equals(n)) {
                names.add(n);
            }
            pos += found;
        }
        return names;
    }

    private static List<int[]> ranges(Set<Integer> offsets) {
        List<int[]> out = new ArrayList<>();
        int start = -1, prev = -2;
        for (int o : offsets) {
            if (o != prev + 1) {
                if (start >= 0) {
                    out.add(new int[] {start, prev - start + 1});
                }
                start = o;
            }
            prev = o;
        }
        if (start >= 0) {
            out.add(new int[] {start, prev - start + 1});
        }
        return out;
    }

    /** The fields written, by name, in packet order. */
    static String rewrites(Set<PacketWrite> writes, List<Atom> facts, ProgramType type) {
        HeaderLayout layout = HeaderLayout.of(facts, type);
        TreeSet<Integer> bytes = new TreeSet<>();
        boolean variable = false;
        for (PacketWrite w : writes) {
            for (int i = 0; i < w.size() && w.offset().lo() + i < 0x10000; i++) {
                bytes.add((int) w.offset().lo() + i);
            }
            variable |= !w.offset().isConstant();
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        String ip = layout.ethertype() == 0 ? "" : HeaderLayout.ethertypeName(layout.ethertype()) + " ";
        for (int[] r : ranges(bytes)) {
            for (String n : fieldsIn(layout, r[0], r[1])) {
                names.add(n.equals("src") || n.equals("dst") ? ip + n : n);
            }
        }
        return String.join(", ", names) + (variable ? " (some at variable offsets)" : "");
    }
}
