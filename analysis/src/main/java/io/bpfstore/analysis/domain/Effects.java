package io.bpfstore.analysis.domain;

import java.util.Set;

/**
 * What a path did besides computing its return value, collected along it and joined by union.
 *
 * @param packetWrites   stores into packet data (and packet-rewriting helpers with known ranges)
 * @param calls          helper and kfunc calls made
 * @param ctxWrites      stores into the context structure ({@code skb->mark = ...})
 * @param mapWrites      where the path changes map contents: stores and atomics into map values (global data
 *                       included), helpers that update, delete or export map elements
 * @param opaqueBranches conditional jumps taken both ways on values that say nothing about the packet (map
 *                       contents, helper results): where a path's outcome may depend on more than its traffic
 */
public record Effects(Set<PacketWrite> packetWrites, Set<Site> calls, Set<CtxWrite> ctxWrites, Set<Site> opaqueBranches,
                      Set<Site> mapWrites) {
    /** Nothing done yet. */
    public static final Effects NONE = new Effects(Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

    /** Copies. */
    public Effects {
        packetWrites = Set.copyOf(packetWrites);
        calls = Set.copyOf(calls);
        ctxWrites = Set.copyOf(ctxWrites);
        opaqueBranches = Set.copyOf(opaqueBranches);
        mapWrites = Set.copyOf(mapWrites);
    }

    /**
     * A store into packet data.
     *
     * @param site   the instruction (or helper call)
     * @param offset first byte written, from the packet's start
     * @param size   bytes written
     */
    public record PacketWrite(Site site, Interval offset, int size) {
    }

    /**
     * A store into a field of the context structure: packet metadata such as {@code skb->mark}, {@code
     * skb->priority} or {@code skb->tc_classid}.
     *
     * @param site   the instruction
     * @param offset the field's offset in the context structure
     * @param size   bytes written
     */
    public record CtxWrite(Site site, int offset, int size) {
    }

    /** With a packet write added. */
    public Effects withWrite(PacketWrite w) {
        return packetWrites.contains(w) ? this
                : new Effects(plus(packetWrites, w), calls, ctxWrites, opaqueBranches, mapWrites);
    }

    /** With a call added. */
    public Effects withCall(Site s) {
        return calls.contains(s) ? this
                : new Effects(packetWrites, plus(calls, s), ctxWrites, opaqueBranches, mapWrites);
    }

    /** With a context write added. */
    public Effects withCtxWrite(CtxWrite w) {
        return ctxWrites.contains(w) ? this
                : new Effects(packetWrites, calls, plus(ctxWrites, w), opaqueBranches, mapWrites);
    }

    /** With a map write added. */
    public Effects withMapWrite(Site s) {
        return mapWrites.contains(s) ? this : new Effects(packetWrites, calls, ctxWrites, opaqueBranches,
                plus(mapWrites, s));
    }

    /** With an opaque branch added. */
    public Effects withOpaque(Site s) {
        return opaqueBranches.contains(s) ? this
                : new Effects(packetWrites, calls, ctxWrites, plus(opaqueBranches, s), mapWrites);
    }

    /** Union. */
    public Effects join(Effects o) {
        if (o == this || o.leq(this)) {
            return this;
        }
        if (leq(o)) {
            return o;
        }
        return new Effects(union(packetWrites, o.packetWrites), union(calls, o.calls), union(ctxWrites, o.ctxWrites),
                union(opaqueBranches, o.opaqueBranches), union(mapWrites, o.mapWrites));
    }

    /** Inclusion. */
    public boolean leq(Effects o) {
        return o.packetWrites.containsAll(packetWrites) && o.calls.containsAll(calls)
                && o.ctxWrites.containsAll(ctxWrites) && o.opaqueBranches.containsAll(opaqueBranches)
                && o.mapWrites.containsAll(mapWrites);
    }

    /** {@code s} and {@code t} (not in {@code s}), made read-only in one copy: the constructor keeps it as it is. */
    @SuppressWarnings("unchecked")
    private static <T> Set<T> plus(Set<T> s, T t) {
        Object[] all = s.toArray(new Object[s.size() + 1]);
        all[s.size()] = t;
        return (Set<T>) Set.of(all);
    }

    /** The union, made read-only in one copy (sets of effects are small; most joins add one or two). */
    @SuppressWarnings("unchecked")
    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        if (a.containsAll(b)) {
            return a;
        }
        if (b.containsAll(a)) {
            return b;
        }
        java.util.List<Object> all = new java.util.ArrayList<>(a.size() + b.size());
        all.addAll(a);
        for (T t : b) {
            if (!a.contains(t)) {
                all.add(t);
            }
        }
        return (Set<T>) Set.of(all.toArray());
    }
}
