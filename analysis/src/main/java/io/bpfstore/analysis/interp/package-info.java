/**
 * A generic abstract interpreter: a worklist fixpoint over a {@link io.bpfstore.analysis.cfg.ControlFlowGraph},
 * parameterised by an {@link io.bpfstore.analysis.interp.AbstractDomain}.
 *
 * <p>The solver knows nothing of eBPF values: the domain says how an instruction transforms a state, how an
 * edge refines it (a conditional jump taken or not, a call pushing a frame), how two states join and how a loop
 * head widens. {@link io.bpfstore.analysis.interp.PartitionedDomain} lifts any domain to a bounded disjunction of
 * states keyed by a partition key (trace partitioning), which is how the packet summaries stay path-sensitive.
 * An offline verifier plugs richer numeric domains into the same solver.
 *
 * <p>Traps: widening is applied only at loop heads (targets of back edges) and only after
 * {@link io.bpfstore.analysis.interp.FixpointSolver#DEFAULT_WIDEN_AFTER} visits, so short unrolled patterns stay
 * exact; a domain whose widening is not a true widening (an infinite ascending chain survives it) makes the
 * solver stop at its visit limit with {@link io.bpfstore.analysis.interp.Fixpoint#complete()} false.
 */
package io.bpfstore.analysis.interp;
