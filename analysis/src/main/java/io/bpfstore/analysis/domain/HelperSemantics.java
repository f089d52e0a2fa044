package io.bpfstore.analysis.domain;

import io.bpfstore.analysis.domain.Value.MapRef;
import io.bpfstore.analysis.domain.Value.MapValue;
import io.bpfstore.analysis.domain.Value.Scalar;
import io.bpfstore.analysis.domain.Value.Stack;
import io.bpfstore.analysis.domain.Value.Uninit;
import io.bpfstore.analysis.domain.Value.Unknown;
import io.bpfstore.bytecode.helpers.Helper;
import io.bpfstore.bytecode.helpers.HelperCatalog;
import io.bpfstore.bytecode.helpers.ReturnKind;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a helper call does to a {@link RegionState}: a map lookup yields a map value (remembering a key read from
 * packet bytes), {@code bpf_skb_load_bytes} copies packet lanes onto the stack, {@code bpf_skb_store_bytes} records a
 * packet write, helpers that may move the packet invalidate packet pointers, helpers writing through pointer
 * arguments forget those stack bytes, and r0 gets the helper's kind of result.
 */
final class HelperSemantics {
    private static final HelperCatalog HELPERS = HelperCatalog.bundled();
    private static final int MAP_LOOKUP = 1;
    private static final int SKB_STORE_BYTES = 9;
    private static final int TAIL_CALL = 12;
    private static final int SKB_LOAD_BYTES = 26;

    private final ProgramContext context;

    HelperSemantics(ProgramContext context) {
        this.context = context;
    }

    /** Applies the call of helper {@code id} at {@code site} to {@code m}. */
    void call(MutableState m, int id, Site site) {
        m.effects = m.effects.withCall(site);
        Optional<Helper> helper = HELPERS.byId(id);
        String name = helper.map(Helper::name).orElse("");
        if (id == MAP_LOOKUP) {
            Value map = m.get(1);
            Value key = m.get(2);
            if (map instanceof MapRef ref) {
                Optional<MapLookup> lookup = Optional.empty();
                if (key instanceof Stack st && st.offset().isConstant()) {
                    int size = context.keySize(ref.map());
                    List<Integer> bytes = m.readBytes(st.frame(), (int) st.offset().lo(), size);
                    lookup = Optional.of(new MapLookup(ref.map(), bytes, site));
                }
                m.clobber(new MapValue(ref.map(), Interval.of(0), true, lookup));
                return;
            }
            m.clobber(Unknown.INSTANCE);
            return;
        }
        if (id == SKB_STORE_BYTES && m.get(2) instanceof Scalar off && off.isConstant()
                && m.get(4) instanceof Scalar len && len.isConstant() && len.range().lo() > 0
                && len.range().lo() <= 0xffff) {
            m.effects = m.effects.withWrite(new Effects.PacketWrite(site, off.range(), (int) len.range().lo()));
        }
        if (id == SKB_LOAD_BYTES && m.get(2) instanceof Scalar off && off.isConstant() && off.range().lo() >= 0
                && off.range().lo() < 0xffff && m.get(3) instanceof Stack to && to.offset().isConstant()
                && m.get(4) instanceof Scalar len && len.isConstant() && len.range().lo() > 0
                && len.range().lo() <= 512) {
            int base = (int) to.offset().lo();
            for (int i = 0; i < len.range().lo(); i++) {
                m.writeStack(to.frame(), base + i, 1, new Scalar(Interval.unsigned(1),
                        Optional.of(Lanes.load((int) off.range().lo() + i, 1, true)), -1L, OptionalInt.empty()));
            }
        } else if (id != MAP_LOOKUP && id != 2 && id != 3 && id != TAIL_CALL && !name.endsWith("_output")) {
            // helpers that write through pointer arguments: forget what the stack held there
            for (int r = 1; r <= 5; r++) {
                if (m.get(r) instanceof Stack st) {
                    if (st.offset().isConstant() && r < 5 && m.get(r + 1) instanceof Scalar len && len.isConstant()
                            && len.range().lo() >= 0 && len.range().lo() <= 512) {
                        m.forget(st.frame(), (int) st.offset().lo(), (int) len.range().lo());
                    } else {
                        m.clearStack(st.frame());
                    }
                }
            }
        }
        if (changesPacket(name)) {
            m.invalidatePacket();
        }
        Value r0;
        if (name.equals("bpf_redirect") || name.equals("bpf_redirect_map")) {
            r0 = Scalar.of(context.type().orElse(ProgramType.UNSPEC) == ProgramType.XDP
                    ? new Interval(0, 4) : new Interval(0, 7));
        } else if (name.startsWith("bpf_msg_redirect") || name.startsWith("bpf_sk_redirect")) {
            r0 = Scalar.of(new Interval(0, 1));
        } else if (helper.isPresent() && helper.get().prototype().returnKind() == ReturnKind.INTEGER) {
            r0 = Scalar.ANY;
        } else if (helper.isPresent() && helper.get().prototype().returnKind() == ReturnKind.VOID) {
            r0 = Uninit.INSTANCE;
        } else {
            r0 = Unknown.INSTANCE;
        }
        m.clobber(r0);
    }

    /** Helpers after which the kernel invalidates every packet pointer (they may move or resize the data). */
    static boolean changesPacket(String name) {
        return name.contains("adjust_") || name.contains("_change_") || name.equals("bpf_skb_store_bytes")
                || name.contains("csum_replace") || name.startsWith("bpf_skb_vlan_") || name.equals("bpf_skb_pull_data")
                || name.startsWith("bpf_msg_pull_data") || name.startsWith("bpf_msg_push") || name.startsWith(
                "bpf_msg_pop") || name.startsWith("bpf_lwt_push") || name.startsWith("bpf_skb_ecn");
    }
}
