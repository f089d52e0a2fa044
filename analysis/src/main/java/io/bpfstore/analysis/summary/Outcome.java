package io.bpfstore.analysis.summary;

import io.bpfstore.analysis.domain.Atom;
import io.bpfstore.analysis.domain.Effects.CtxWrite;
import io.bpfstore.analysis.domain.Effects.PacketWrite;
import io.bpfstore.analysis.domain.Interval;
import io.bpfstore.analysis.domain.Site;
import java.util.List;
import java.util.Set;

/**
 * What one class of paths does: for traffic matching {@code condition}, the program returns a value in
 * {@code verdicts}, having written {@code rewrites} and called {@code helpers}.
 *
 * @param condition      facts the paths established, oldest first (all must hold)
 * @param approximate    whether paths with different facts were merged (the condition is weaker than theirs)
 * @param verdicts       the possible return values (sorted, disjoint intervals); {@link Interval#TOP} when the
 *                       return value is not a number
 * @param rewrites       stores into packet data
 * @param helpers        notable helpers called (redirects, tail calls, packet rewriting)
 * @param dependsOn      conditional jumps on data other than the packet the paths took either way (only worth
 *                       naming when {@code verdicts} holds more than one value)
 * @param mapWrites      where the paths change map contents (counters, tables, ring buffers)
 * @param metadataWrites stores into packet metadata in the context ({@code skb->mark}, {@code skb->priority}, ...)
 */
public record Outcome(List<Atom> condition, boolean approximate, List<Interval> verdicts, Set<PacketWrite> rewrites,
                      List<String> helpers, Set<Site> dependsOn, Set<Site> mapWrites, Set<CtxWrite> metadataWrites) {
    /** Copies. */
    public Outcome {
        condition = List.copyOf(condition);
        verdicts = List.copyOf(verdicts);
        rewrites = Set.copyOf(rewrites);
        helpers = List.copyOf(helpers);
        dependsOn = Set.copyOf(dependsOn);
        mapWrites = Set.copyOf(mapWrites);
        metadataWrites = Set.copyOf(metadataWrites);
    }

    /** Whether the return value is one known number. */
    public boolean certainVerdict() {
        return verdicts.size() == 1 && verdicts.getFirst().isConstant();
    }

    /** Whether {@code v} is a possible return value. */
    public boolean mayReturn(long v) {
        return verdicts.stream().anyMatch(i -> i.contains(v));
    }
}
