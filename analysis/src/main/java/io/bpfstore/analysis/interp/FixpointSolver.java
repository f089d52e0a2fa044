package io.bpfstore.analysis.interp;

import io.bpfstore.analysis.cfg.Block;
import io.bpfstore.analysis.cfg.ControlFlowGraph;
import io.bpfstore.analysis.cfg.Edge;
import io.bpfstore.bytecode.asm.InstructionAt;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Worklist fixpoint iteration: block states are joined at merge points and widened at loop heads after
 * {@code widenAfter} visits. Blocks are processed in reverse postorder (a block after all its forward
 * predecessors), which keeps the number of visits small.
 */
public final class FixpointSolver {
    /** Visits of a loop head before its state is widened instead of joined. */
    public static final int DEFAULT_WIDEN_AFTER = 3;
    /** Visits per block after which the solver gives up (a guard against domains without a real widening). */
    public static final int DEFAULT_VISIT_LIMIT = 1_000;

    private final int widenAfter;
    private final int visitLimit;

    /**
     * @param widenAfter visits of a loop head that join before widening starts (at least 1)
     * @param visitLimit visits of any one block after which the solver stops incomplete
     */
    public FixpointSolver(int widenAfter, int visitLimit) {
        if (widenAfter < 1 || visitLimit < widenAfter) {
            throw new IllegalArgumentException("widenAfter " + widenAfter + ", visitLimit " + visitLimit);
        }
        this.widenAfter = widenAfter;
        this.visitLimit = visitLimit;
    }

    /** A solver with the default limits. */
    public FixpointSolver() {
        this(DEFAULT_WIDEN_AFTER, DEFAULT_VISIT_LIMIT);
    }

    /** Computes the states at each block's entry, starting from {@code domain.entry()} at the entry block. */
    public <S> Fixpoint<S> solve(ControlFlowGraph graph, AbstractDomain<S> domain) {
        int n = graph.blocks().size();
        List<Optional<S>> before = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            before.add(Optional.empty());
        }
        int[] visits = new int[n];
        boolean[] queued = new boolean[n];
        int[] rank = reversePostorder(graph);
        PriorityQueue<Integer> work = new PriorityQueue<>((a, b) -> Integer.compare(rank[a], rank[b]));
        before.set(0, Optional.of(domain.entry()));
        work.add(0);
        queued[0] = true;
        boolean complete = true;
        int iterations = 0;
        while (!work.isEmpty()) {
            int id = work.poll();
            queued[id] = false;
            iterations++;
            if (++visits[id] > visitLimit) {
                complete = false;
                continue;
            }
            Block block = graph.blocks().get(id);
            Optional<S> state = before.get(id).flatMap(s -> domain.transferBlock(s, block));
            if (state.isEmpty()) {
                continue;
            }
            for (Edge edge : graph.successors(id)) {
                Optional<S> out = domain.refine(state.get(), block, edge);
                if (out.isEmpty()) {
                    continue;
                }
                int to = edge.to();
                Optional<S> old = before.get(to);
                S next;
                if (old.isEmpty()) {
                    next = out.get();
                } else if (domain.leq(out.get(), old.get())) {
                    continue;
                } else if (graph.isLoopHead(to) && visits[to] >= widenAfter) {
                    next = domain.widen(old.get(), domain.join(old.get(), out.get()));
                } else {
                    next = domain.join(old.get(), out.get());
                }
                before.set(to, Optional.of(next));
                if (!queued[to]) {
                    queued[to] = true;
                    work.add(to);
                }
            }
        }
        return new Fixpoint<>(graph, domain, before, complete, iterations);
    }

    /** Rank of each block in reverse postorder of a depth-first search from the entry. */
    private static int[] reversePostorder(ControlFlowGraph graph) {
        int n = graph.blocks().size();
        int[] rank = new int[n];
        java.util.Arrays.fill(rank, n);
        boolean[] seen = new boolean[n];
        int[] next = new int[n];
        int[] stack = new int[n];
        int top = 0;
        int order = n;
        stack[top++] = 0;
        seen[0] = true;
        while (top > 0) {
            int b = stack[top - 1];
            List<Edge> out = graph.successors(b);
            if (next[b] < out.size()) {
                int to = out.get(next[b]++).to();
                if (!seen[to]) {
                    seen[to] = true;
                    stack[top++] = to;
                }
            } else {
                rank[b] = --order;
                top--;
            }
        }
        return rank;
    }
}
