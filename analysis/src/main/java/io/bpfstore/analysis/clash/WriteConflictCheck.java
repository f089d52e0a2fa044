package io.bpfstore.analysis.clash;

import io.bpfstore.analysis.domain.Atom;
import io.bpfstore.analysis.domain.Effects.CtxWrite;
import io.bpfstore.analysis.domain.Effects.PacketWrite;
import io.bpfstore.analysis.domain.Interval;
import io.bpfstore.analysis.summary.Outcome;
import io.bpfstore.analysis.summary.PacketSummary;
import io.bpfstore.bytecode.sections.TcAction;
import io.bpfstore.bytecode.sections.XdpAction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Two programs on one XDP or tc chain that write the same packet bytes or the same packet metadata for traffic
 * both of them handle: the earlier one passes the packet on, the later one's store replaces what the earlier one
 * wrote, and the earlier program's intent is lost ({@link FindingClass#WRITE_CONFLICT}).
 *
 * <p>Severity by what is overwritten: a header field (an address, a port, a TTL) is an error, the first rewrite
 * cannot survive; a checksum alone is a warning, since incremental updates ({@code bpf_l3_csum_replace}) of
 * different fields compose; a metadata field ({@code skb->mark}, {@code priority}, ...) is a warning, since the
 * second program may keep the first one's bits.
 */
final class WriteConflictCheck {
    /** TC_ACT_UNSPEC (TCX_NEXT), as a 64-bit and as a 32-bit return value: the next tc program runs. */
    private static final long TC_NEXT = TcAction.UNSPEC.number(), TC_NEXT_32 = 0xffffffffL;
    /** Writable fields of {@code struct __sk_buff}, by offset (include/uapi/linux/bpf.h). */
    private static final Map<Integer, String> SKB_FIELDS = Map.ofEntries(Map.entry(8, "skb->mark"),
            Map.entry(12, "skb->queue_mapping"), Map.entry(32, "skb->priority"), Map.entry(44, "skb->tc_index"),
            Map.entry(48, "skb->cb[0]"), Map.entry(52, "skb->cb[1]"), Map.entry(56, "skb->cb[2]"),
            Map.entry(60, "skb->cb[3]"), Map.entry(64, "skb->cb[4]"), Map.entry(72, "skb->tc_classid"),
            Map.entry(152, "skb->tstamp"));

    private WriteConflictCheck() {
    }

    /** Findings for the placements of one hook, in priority order. */
    static List<Finding> check(List<Placement> chain, HostView host) {
        return Placement.eachPair(chain, (a, b) -> pair(a, b, host));
    }

    private static Optional<Finding> pair(Placement a, Placement b, HostView host) {
        Optional<PacketSummary> sa = Summaries.of(a.pkg().object(), a.program());
        Optional<PacketSummary> sb = Summaries.of(b.pkg().object(), b.program());
        if (sa.isEmpty() || sb.isEmpty()) {
            return Optional.empty();
        }
        PacketSummary pa = sa.get(), pb = sb.get();
        LinkedHashSet<String> fields = new LinkedHashSet<>();
        LinkedHashSet<String> metadata = new LinkedHashSet<>();
        LinkedHashSet<String> traffic = new LinkedHashSet<>();
        for (Outcome oa : pa.outcomes()) {
            if (!passesOn(oa, a.hook()) || oa.rewrites().isEmpty() && oa.metadataWrites().isEmpty()) {
                continue;
            }
            for (Outcome ob : pb.outcomes()) {
                if (!TrafficOverlap.compatible(oa.condition(), ob.condition())) {
                    continue;
                }
                List<Atom> both = TrafficOverlap.both(oa.condition(), ob.condition());
                List<String> bytes = pb.fields(sameBytes(oa.rewrites(), ob.rewrites()), both);
                List<String> meta = sameMetadata(oa.metadataWrites(), ob.metadataWrites());
                if (!bytes.isEmpty() || !meta.isEmpty()) {
                    fields.addAll(bytes);
                    metadata.addAll(meta);
                    traffic.add(pa.describe(both));
                }
            }
        }
        if (fields.isEmpty() && metadata.isEmpty()) {
            return Optional.empty();
        }
        boolean header = fields.stream().anyMatch(f -> !f.contains("checksum"));
        Severity severity = header ? Severity.ERROR : Severity.WARNING;
        List<Subject> subjects = a.with(b, host);
        traffic.forEach(t -> subjects.add(new Subject.Traffic(t)));
        String first = a.describe();
        String second = b.describe();
        List<String> written = new ArrayList<>(fields);
        written.addAll(metadata);
        String where = a.hook().describe() + host.iface().map(i -> " of " + i).orElse("");
        String message = "on " + where + ", " + first + " and " + second + " both write " + String.join(", ", written)
                + " of " + String.join("; ", traffic) + ": " + first + " runs first and passes the packet on, so "
                + second + "'s write wins and " + first + "'s " + (header ? "rewrite" : "value") + " is lost";
        String fix;
        if (header) {
            fix = "decide which package rewrites this traffic: install only one, narrow one's rules so the two do "
                    + "not rewrite the same packets, or do both rewrites in one program";
        } else if (!fields.isEmpty() && metadata.isEmpty()) {
            fix = "nothing if both update the checksum incrementally (bpf_l3_csum_replace, bpf_l4_csum_replace) from "
                    + "the packet as they see it; a checksum computed before the other program's change must be "
                    + "recomputed in " + second;
        } else {
            fix = "have " + second + " keep what " + first + " set (read the field and change only its own bits), "
                    + "or agree on separate fields";
        }
        return Optional.of(new Finding(FindingClass.WRITE_CONFLICT, severity, subjects, message, fix));
    }

    /** Whether the chain goes on after an outcome: the next program sees the packet as it left this one. */
    private static boolean passesOn(Outcome o, Hook hook) {
        return hook == Hook.XDP ? o.mayReturn(XdpAction.PASS.number()) : o.mayReturn(TC_NEXT) || o.mayReturn(TC_NEXT_32);
    }

    /** The bytes both sets of writes store, at offsets known exactly, as one write per byte run. */
    private static Set<PacketWrite> sameBytes(Set<PacketWrite> first, Set<PacketWrite> second) {
        TreeSet<Integer> a = bytes(first), b = bytes(second);
        a.retainAll(b);
        Set<PacketWrite> out = new java.util.HashSet<>();
        PacketWrite any = second.isEmpty() ? null : second.iterator().next();
        Integer start = null, prev = null;
        for (int x : a) {
            if (start != null && x != prev + 1) {
                out.add(new PacketWrite(any.site(), Interval.of(start), prev - start + 1));
                start = null;
            }
            if (start == null) {
                start = x;
            }
            prev = x;
        }
        if (start != null) {
            out.add(new PacketWrite(any.site(), Interval.of(start), prev - start + 1));
        }
        return out;
    }

    private static TreeSet<Integer> bytes(Set<PacketWrite> writes) {
        TreeSet<Integer> out = new TreeSet<>();
        for (PacketWrite w : writes) {
            if (w.offset().isConstant() && w.offset().lo() >= 0 && w.offset().lo() < 0x10000) {
                for (int i = 0; i < w.size(); i++) {
                    out.add((int) w.offset().lo() + i);
                }
            }
        }
        return out;
    }

    /** Metadata fields both sets of context writes store. */
    private static List<String> sameMetadata(Set<CtxWrite> first, Set<CtxWrite> second) {
        TreeSet<Integer> offsets = new TreeSet<>();
        for (CtxWrite x : first) {
            for (CtxWrite y : second) {
                if (x.offset() >= 0 && y.offset() >= 0 && x.offset() < y.offset() + y.size()
                        && y.offset() < x.offset() + x.size()) {
                    offsets.add(Math.max(x.offset(), y.offset()));
                }
            }
        }
        return offsets.stream().map(o -> SKB_FIELDS.getOrDefault(o, "context field at offset " + o)).toList();
    }
}
