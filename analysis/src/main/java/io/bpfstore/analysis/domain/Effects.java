package io.bpfstore.analysis.domain;

import java.util.HashSet;
import java.util.Set;

/**
 * What a path did besides computing its return value, collected along it and joined by union.
 *
 * @param packetWrites   stores into packet data (and packet-rewriting helpers with known ranges)
 * @param calls          helper and kfunc calls made
 * @param ctxWrites      stores into the context structure ({@code skb->mark = ...})
 * @param opaqueBranches conditional jumps taken both ways on values that say nothing about the packet (map
 *                       contents, helper results): where a path's outcome may depend on more than its traffic
 */
public record Effects(Set<PacketWrite> packetWrites, Set<Site> calls, Set<Site> ctxWrites, Set<Site> opaqueBranches) {
    /** Nothing done yet. */
    public static final Effects NONE = new Effects(Set.of(), Set.of(), Set.of(), Set.of());

    /** Copies. */
    public Effects {
        packetWrites = Set.copyOf(packetWrites);
        calls = Set.copyOf(calls);
        ctxWrites = Set.copyOf(ctxWrites);
        opaqueBranches = Set.copyOf(opaqueBranches);
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

    /** With a packet write added. */
    public Effects withWrite(PacketWrite w) {
        return packetWrites.contains(w) ? this : new Effects(plus(packetWrites, w), calls, ctxWrites, opaqueBranches);
    }

    /** With a call added. */
    public Effects withCall(Site s) {
        return calls.contains(s) ? this : new Effects(packetWrites, plus(calls, s), ctxWrites, opaqueBranches);
    }

    /** With a context write added. */
    public Effects withCtxWrite(Site s) {
        return ctxWrites.contains(s) ? this : new Effects(packetWrites, calls, plus(ctxWrites, s), opaqueBranches);
    }

    /** With an opaque branch added. */
    public Effects withOpaque(Site s) {
        return opaqueBranches.contains(s) ? this
                : new Effects(packetWrites, calls, ctxWrites, plus(opaqueBranches, s));
    }

    /** Union. */
    public Effects join(Effects o) {
        if (o.equals(this)) {
            return this;
        }
        return new Effects(union(packetWrites, o.packetWrites), union(calls, o.calls), union(ctxWrites, o.ctxWrites),
                union(opaqueBranches, o.opaqueBranches));
    }

    /** Inclusion. */
    public boolean leq(Effects o) {
        return o.packetWrites.containsAll(packetWrites) && o.calls.containsAll(calls)
                && o.ctxWrites.containsAll(ctxWrites) && o.opaqueBranches.containsAll(opaqueBranches);
    }

    private static <T> Set<T> plus(Set<T> s, T t) {
        Set<T> r = new HashSet<>(s);
        r.add(t);
        return r;
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> r = new HashSet<>(a);
        r.addAll(b);
        return r;
    }
}
