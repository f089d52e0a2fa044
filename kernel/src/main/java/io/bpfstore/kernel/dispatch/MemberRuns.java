package io.bpfstore.kernel.dispatch;

import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.MapInfo;
import io.bpfstore.kernel.MapSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A composed member's run count. The kernel's run_cnt covers the whole dispatcher, so the dispatcher counts each
 * member itself: before calling a member that has a counter ({@link XdpMember#runs()}) it adds 1 to this CPU's slot
 * of a one-entry per-CPU array (no atomic operation, no shared cache line). The count is kept whether or not
 * BPF_ENABLE_STATS is held, survives recomposition (the map is the member's, not the dispatcher's) and costs a few
 * nanoseconds per member run (docs/benchmarks.md, "Per-member XDP run counts"). Run time per member is not
 * measured: two bpf_ktime_get_ns calls per member and packet would cost more than the program it measures.
 */
public final class MemberRuns {
    /** The counter map's name as the kernel shows it. */
    public static final String MAP_NAME = "bst_runs";
    private static final int KEY_SIZE = 4;
    private static final int VALUE_SIZE = 8;

    private MemberRuns() {
    }

    /** Creates an empty counter: a per-CPU array of one u64. Pin it or keep it open for as long as it counts. */
    public static BpfMap create() {
        return BpfMap.create(MapSpec.of(MAP_NAME, MapType.PERCPU_ARRAY, KEY_SIZE, VALUE_SIZE, 1));
    }

    /** Whether {@code map} has the shape of a counter {@link #create()} makes. */
    public static boolean isCounter(BpfMap map) {
        MapInfo info = map.info();
        return info.typeName().equals("percpu_array") && info.keySize() == KEY_SIZE && info.valueSize() == VALUE_SIZE
                && info.maxEntries() == 1;
    }

    /** The runs counted in {@code counter}: its per-CPU slots summed. */
    public static long read(BpfMap counter) {
        byte[] values = counter.lookup(new byte[KEY_SIZE]).orElse(new byte[0]);
        ByteBuffer b = ByteBuffer.wrap(values).order(ByteOrder.nativeOrder());
        long sum = 0;
        while (b.remaining() >= VALUE_SIZE) {
            sum += b.getLong(); // per-CPU values are 8-byte aligned: one u64 per possible CPU
        }
        return sum;
    }
}
