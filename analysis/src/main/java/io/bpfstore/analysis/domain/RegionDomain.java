package io.bpfstore.analysis.domain;

import io.bpfstore.analysis.cfg.Block;
import io.bpfstore.analysis.cfg.Edge;
import io.bpfstore.analysis.interp.AbstractDomain;
import io.bpfstore.analysis.interp.Partitionable;
import io.bpfstore.bytecode.asm.InstructionAt;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The region domain: per register and stack cell a {@link Value} (context, packet pointer with an offset
 * interval, packet end, map, map value, stack pointer, or scalar with an interval and its packet-byte provenance),
 * bpf-to-bpf frames, and the path's facts about its traffic. Conditional jumps refine both edges: a comparison of
 * a value loaded from packet bytes with a constant becomes an {@link Atom.FieldTest}, the NULL check of a lookup
 * keyed by packet bytes an {@link Atom.MapTest}, a failed bounds check an {@link Atom.ShortPacket}; contradicting
 * facts make an edge infeasible.
 *
 * <p>It also implements {@link Partitionable} with the path's facts as key, for {@link
 * io.bpfstore.analysis.interp.PartitionedDomain}.
 *
 * <p>The work is split by responsibility: {@link RegionLattice} (entry, join, widening, order, partitions),
 * {@link InstructionTransfer} (one instruction), {@link HelperSemantics} (helper calls) and {@link EdgeRefinement}
 * (calls, returns and conditional jumps); {@link MutableState} is a state being changed by one step.
 */
public final class RegionDomain implements AbstractDomain<RegionState>, Partitionable<RegionState, Atom> {
    private final InstructionTransfer instructions;

    /** @param context what the domain must know of the program besides its code */
    public RegionDomain(ProgramContext context) {
        this.instructions = new InstructionTransfer(Objects.requireNonNull(context, "context"));
    }

    @Override
    public RegionState entry() {
        return RegionLattice.entry();
    }

    @Override
    public RegionState join(RegionState a, RegionState b) {
        return RegionLattice.join(a, b);
    }

    @Override
    public RegionState widen(RegionState older, RegionState newer) {
        return RegionLattice.widen(older, newer);
    }

    @Override
    public boolean leq(RegionState a, RegionState b) {
        return RegionLattice.leq(a, b);
    }

    @Override
    public Optional<RegionState> transfer(RegionState s, Block block, InstructionAt at) {
        return instructions.transfer(s, block, at);
    }

    @Override
    public Optional<RegionState> transferBlock(RegionState s, Block block) {
        return instructions.transferBlock(s, block);
    }

    @Override
    public Optional<RegionState> refine(RegionState s, Block from, Edge edge) {
        return EdgeRefinement.refine(s, from, edge);
    }

    @Override
    public List<Atom> key(RegionState state) {
        return RegionLattice.key(state);
    }

    @Override
    public Optional<RegionState> unite(RegionState a, RegionState b) {
        return RegionLattice.unite(a, b);
    }

    @Override
    public int weakenLevels() {
        return RegionLattice.weakenLevels();
    }

    /** See {@link RegionLattice#weaken}. */
    @Override
    public RegionState weaken(RegionState state, int level) {
        return RegionLattice.weaken(state, level);
    }

    @Override
    public RegionState truncate(RegionState state, int length) {
        return RegionLattice.truncate(state, length);
    }
}
