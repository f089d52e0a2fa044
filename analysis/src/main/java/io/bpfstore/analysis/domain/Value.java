package io.bpfstore.analysis.domain;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The abstract value of a register or stack cell: what kind of thing it is (the verifier's register types,
 * simplified) and what is known about it.
 */
public sealed interface Value {
    /** Never written: reading it is an error the kernel refuses. */
    record Uninit() implements Value {
        /** The one instance. */
        public static final Uninit INSTANCE = new Uninit();
    }

    /** Anything: the kinds of two joined values differed, or a helper returned something not modelled. */
    record Unknown() implements Value {
        /** The one instance. */
        public static final Unknown INSTANCE = new Unknown();
    }

    /**
     * A number.
     *
     * @param range    the values it may take
     * @param lanes    where its bytes came from, when some came from the packet
     * @param mask     bits of the assembled lanes that the value keeps (a partial {@code &} of a packet field)
     * @param ctxField the context field it was loaded from (byte offset), when it was loaded unchanged
     */
    record Scalar(Interval range, Optional<Lanes> lanes, long mask, OptionalInt ctxField) implements Value {
        /** Any 64-bit number. */
        public static final Scalar ANY = new Scalar(Interval.TOP, Optional.empty(), -1L, OptionalInt.empty());

        /** A number in {@code range} with no provenance. */
        public static Scalar of(Interval range) {
            return new Scalar(range, Optional.empty(), -1L, OptionalInt.empty());
        }

        /** The constant {@code v}. */
        public static Scalar constant(long v) {
            return of(Interval.of(v));
        }

        /** Whether the value is one known number. */
        public boolean isConstant() {
            return range.isConstant();
        }
    }

    /** The program's context argument ({@code struct xdp_md *}, {@code struct __sk_buff *}, ...). */
    record Ctx(Interval offset) implements Value {
    }

    /** A pointer into packet data, {@code offset} bytes after its start. */
    record Packet(Interval offset) implements Value {
    }

    /** The end of packet data ({@code data_end}). */
    record PacketEnd() implements Value {
        /** The one instance. */
        public static final PacketEnd INSTANCE = new PacketEnd();
    }

    /** A map (the result of {@code ld_imm64} of a map). */
    record MapRef(String map) implements Value {
    }

    /**
     * A pointer into a map's value.
     *
     * @param map       the map's name
     * @param offset    offset into the value
     * @param maybeNull whether it may be NULL (a lookup's result not yet checked)
     * @param lookup    the lookup that produced it, when it came from {@code bpf_map_lookup_elem}
     */
    record MapValue(String map, Interval offset, boolean maybeNull, Optional<MapLookup> lookup) implements Value {
    }

    /**
     * A pointer into a stack frame.
     *
     * @param frame  frame index, 0 for the entry program
     * @param offset offset from the frame pointer (negative)
     */
    record Stack(int frame, Interval offset) implements Value {
    }
}
