package io.bpfstore.analysis.cfg;

import io.bpfstore.bytecode.asm.InstructionAt;
import java.util.Optional;

/**
 * A control-flow edge.
 *
 * @param from   the source block's id
 * @param to     the target block's id
 * @param kind   why control passes
 * @param branch the conditional jump for {@link EdgeKind#TAKEN} / {@link EdgeKind#NOT_TAKEN} edges, the call
 *               for {@link EdgeKind#CALL} and {@link EdgeKind#OPAQUE_CALL} edges
 */
public record Edge(int from, int to, EdgeKind kind, Optional<InstructionAt> branch) {
    /** Checks presence. */
    public Edge {
        if (kind == null || branch == null) {
            throw new IllegalArgumentException("edge without kind or branch");
        }
    }
}
