package io.bpfstore.analysis.interp;

import io.bpfstore.analysis.cfg.Block;
import io.bpfstore.analysis.cfg.Edge;
import io.bpfstore.bytecode.asm.InstructionAt;
import java.util.Optional;

/**
 * An abstract domain the {@link FixpointSolver} runs: states of type {@code S}, immutable, with bottom
 * ("unreachable") represented by an empty {@link Optional}.
 *
 * @param <S> the abstract state
 */
public interface AbstractDomain<S> {
    /** The state on entry to the program. */
    S entry();

    /** The least upper bound (or a sound upper bound) of two states. */
    S join(S a, S b);

    /** An upper bound of {@code older} and {@code newer} that guarantees termination when repeated. */
    S widen(S older, S newer);

    /** Whether {@code a} is included in {@code b} (the fixpoint is reached when the new state is included). */
    boolean leq(S a, S b);

    /** The state after {@code instruction} of {@code block}; empty when no execution continues (e.g. exit). */
    Optional<S> transfer(S state, Block block, InstructionAt instruction);

    /**
     * The state after every instruction of {@code block}, in order; empty when no execution continues. Domains
     * override it when they can do a block at once more cheaply than instruction by instruction.
     */
    default Optional<S> transferBlock(S state, Block block) {
        Optional<S> out = Optional.of(state);
        for (InstructionAt at : block.instructions()) {
            if (out.isEmpty()) {
                break;
            }
            out = transfer(out.get(), block, at);
        }
        return out;
    }

    /** The state along {@code edge} from a state at the end of its source block {@code from}; empty when infeasible. */
    Optional<S> refine(S state, Block from, Edge edge);
}
