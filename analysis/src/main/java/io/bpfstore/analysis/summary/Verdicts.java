package io.bpfstore.analysis.summary;

import io.bpfstore.analysis.domain.Interval;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.bytecode.sections.TcAction;
import io.bpfstore.bytecode.sections.XdpAction;
import java.util.ArrayList;
import java.util.List;

/** Names of a program's return values by program type (the kernel's {@code XDP_*}, {@code TC_ACT_*}, ...). */
public final class Verdicts {
    private static final List<String> CGROUP_SKB = List.of("deny", "allow", "deny (congestion notified)",
            "allow (congestion notified)");
    private static final List<String> SK = List.of("SK_DROP", "SK_PASS");

    private Verdicts() {
    }

    /** The name of return value {@code v} of a program of {@code type}. */
    public static String name(ProgramType type, long v) {
        return switch (type) {
            case XDP -> XdpAction.fromNumber(v).map(XdpAction::kernelName).orElse("XDP verdict " + v);
            case SCHED_CLS, SCHED_ACT -> TcAction.fromNumber(v).map(TcAction::kernelName).orElse("TC verdict " + v);
            case CGROUP_SKB -> v >= 0 && v < CGROUP_SKB.size() ? CGROUP_SKB.get((int) v) : "cgroup verdict " + v;
            case SOCKET_FILTER -> v == 0 ? "drop" : "keep " + v + " bytes";
            case SK_MSG, SK_SKB -> v >= 0 && v < SK.size() ? SK.get((int) v) : "verdict " + v;
            default -> Long.toString(v);
        };
    }

    /** The names of the values in {@code ranges} (sorted, disjoint), or a description when they hold many. */
    public static String describe(ProgramType type, List<Interval> ranges) {
        long count = 0;
        for (Interval r : ranges) {
            count += Math.min(r.width(), 100);
        }
        if (ranges.size() == 1 || count > 8) {
            List<String> parts = new ArrayList<>();
            for (Interval r : ranges) {
                parts.add(describe(type, r));
            }
            return String.join(" or ", parts);
        }
        List<String> names = new ArrayList<>();
        for (Interval r : ranges) {
            for (long v = r.lo(); v <= r.hi(); v++) {
                names.add(name(type, v));
            }
        }
        return String.join(" or ", names);
    }

    /** The names of the values in {@code range}, or a description when it holds many. */
    public static String describe(ProgramType type, Interval range) {
        if (type == ProgramType.SOCKET_FILTER && !range.isConstant()) {
            String upTo = range.hi() >= 0xffffffffL ? "the whole packet" : "up to " + range.hi() + " bytes";
            return range.lo() > 0 ? "keep " + upTo : "drop or keep " + upTo;
        }
        if (range.width() > 8) {
            return "return value " + range;
        }
        List<String> names = new ArrayList<>();
        for (long v = range.lo(); v <= range.hi(); v++) {
            names.add(name(type, v));
        }
        return String.join(" or ", names);
    }
}
