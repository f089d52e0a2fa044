package io.bpfstore.analysis.domain;

import io.bpfstore.analysis.domain.Value.MapRef;
import io.bpfstore.analysis.domain.Value.MapValue;
import io.bpfstore.analysis.domain.Value.Scalar;
import io.bpfstore.analysis.domain.Value.Stack;
import io.bpfstore.analysis.domain.Value.Uninit;
import io.bpfstore.analysis.domain.Value.Unknown;
import io.bpfstore.bytecode.helpers.Helper;
import io.bpfstore.bytecode.helpers.HelperCatalog;
import io.bpfstore.bytecode.helpers.HelperEffect;
import io.bpfstore.bytecode.helpers.ReturnKind;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a helper call does to a {@link RegionState}: a map lookup yields a map value (remembering a key read from
 * packet bytes), {@code bpf_skb_load_bytes} copies packet lanes onto the stack, {@code bpf_skb_store_bytes} records a
 * packet write, helpers that may move the packet invalidate packet pointers, helpers writing through pointer
 * arguments forget those stack bytes, and r0 gets the helper's kind of result.
 */
final class HelperSemantics {
    private static final HelperCatalog HELPERS = HelperCatalog.bundled();
    /** Whose arguments (offset, source, length) give the bytes written: its write is recorded with its range. */
    private static final int SKB_STORE_BYTES = 9;

    private final ProgramContext context;

    HelperSemantics(ProgramContext context) {
        this.context = context;
    }

    /** Applies the call of helper {@code id} at {@code site} to {@code m}. */
    void call(MutableState m, int id, Site site) {
        m.effects = m.effects.withCall(site);
        Optional<Helper> helper = HELPERS.byId(id);
        Set<HelperEffect> does = HELPERS.effects(id);
        if (does.contains(HelperEffect.WRITES_MAP) || does.contains(HelperEffect.EXPORTS_DATA)) {
            m.effects = m.effects.withMapWrite(site);
        }
        if (does.contains(HelperEffect.LOOKS_UP_MAP)) {
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
        if (does.contains(HelperEffect.COPIES_PACKET_BYTES) && m.get(2) instanceof Scalar off && off.isConstant()
                && off.range().lo() >= 0 && off.range().lo() < 0xffff && m.get(3) instanceof Stack to
                && to.offset().isConstant() && m.get(4) instanceof Scalar len && len.isConstant()
                && len.range().lo() > 0 && len.range().lo() <= 512) {
            int base = (int) to.offset().lo();
            for (int i = 0; i < len.range().lo(); i++) {
                m.writeStack(to.frame(), base + i, 1, new Scalar(Interval.unsigned(1),
                        Optional.of(Lanes.load((int) off.range().lo() + i, 1, true)), -1L, OptionalInt.empty()));
            }
        } else if (does.isEmpty() || does.contains(HelperEffect.WRITES_ARGUMENT_MEMORY)) {
            // forget what the stack held where the helper may write (an unknown helper may write anywhere it points)
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
        if (does.stream().anyMatch(HelperEffect::movesPacketData)) {
            m.invalidatePacket();
        }
        m.clobber(result(helper, does));
    }

    /** What r0 holds after the call: a verdict range for redirects, otherwise the helper's kind of result. */
    private Value result(Optional<Helper> helper, Set<HelperEffect> does) {
        if (does.contains(HelperEffect.RETURNS_VERDICT)) {
            return Scalar.of(switch (context.type().orElse(ProgramType.UNSPEC)) {
                case XDP -> new Interval(0, 4);
                case SK_MSG, SK_SKB -> new Interval(0, 1);
                default -> new Interval(0, 7);
            });
        }
        ReturnKind kind = helper.map(h -> h.prototype().returnKind()).orElse(null);
        return kind == ReturnKind.INTEGER ? Scalar.ANY : kind == ReturnKind.VOID ? Uninit.INSTANCE : Unknown.INSTANCE;
    }
}
