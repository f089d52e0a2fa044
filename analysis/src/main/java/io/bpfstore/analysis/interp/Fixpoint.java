package io.bpfstore.analysis.interp;

import io.bpfstore.analysis.cfg.Block;
import io.bpfstore.analysis.cfg.ControlFlowGraph;
import io.bpfstore.bytecode.asm.InstructionAt;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The result of {@link FixpointSolver#solve}: the state at the entry of every reachable block.
 *
 * @param <S> the abstract state
 */
public final class Fixpoint<S> {
    private final ControlFlowGraph graph;
    private final AbstractDomain<S> domain;
    private final List<Optional<S>> before;
    private final boolean complete;
    private final int iterations;

    Fixpoint(ControlFlowGraph graph, AbstractDomain<S> domain, List<Optional<S>> before, boolean complete,
             int iterations) {
        this.graph = graph;
        this.domain = domain;
        this.before = List.copyOf(before);
        this.complete = complete;
        this.iterations = iterations;
    }

    /** The graph analysed. */
    public ControlFlowGraph graph() {
        return graph;
    }

    /** The state on entry to {@code block}; empty when unreachable. */
    public Optional<S> before(int block) {
        return before.get(block);
    }

    /** False when the solver stopped at its visit limit: states are then not a sound fixpoint. */
    public boolean complete() {
        return complete;
    }

    /** Number of block visits the solver made (a cost figure). */
    public int iterations() {
        return iterations;
    }

    /**
     * Replays {@code block} from its entry state and hands each instruction with the state <em>before</em> it to
     * {@code visitor} (for evidence collection after the fixpoint is reached).
     */
    public void replay(Block block, BiConsumer<InstructionAt, S> visitor) {
        Optional<S> state = before(block.id());
        for (InstructionAt at : block.instructions()) {
            if (state.isEmpty()) {
                return;
            }
            visitor.accept(at, state.get());
            state = domain.transfer(state.get(), block, at);
        }
    }

    /** The states before each instruction of {@code block}, in order (empty list when unreachable). */
    public List<S> statesIn(Block block) {
        List<S> states = new ArrayList<>();
        replay(block, (at, s) -> states.add(s));
        return states;
    }
}
