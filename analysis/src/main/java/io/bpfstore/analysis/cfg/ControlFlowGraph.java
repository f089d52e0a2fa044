package io.bpfstore.analysis.cfg;

import io.bpfstore.bytecode.asm.Branch;
import io.bpfstore.bytecode.asm.CallLocal;
import io.bpfstore.bytecode.asm.Exit;
import io.bpfstore.bytecode.asm.Goto;
import io.bpfstore.bytecode.asm.GotoLong;
import io.bpfstore.bytecode.asm.InstructionAt;
import io.bpfstore.bytecode.asm.JumpImm;
import io.bpfstore.bytecode.asm.JumpReg;
import io.bpfstore.bytecode.asm.MayGoto;
import io.bpfstore.bytecode.object.Function;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.object.Relocation;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The control-flow graph of one entry program with its bpf-to-bpf calls inlined per call site (see the package
 * documentation). Immutable.
 */
public final class ControlFlowGraph {
    /** The kernel's limit on nested bpf-to-bpf frames ({@code MAX_CALL_FRAMES}). */
    public static final int MAX_FRAMES = 8;
    /** Guard against absurd inlining blow-ups (a program of 1M instructions inlined many times). */
    private static final int MAX_BLOCKS = 200_000;

    private final Program program;
    private final List<Block> blocks;
    private final List<List<Edge>> successors;
    private final List<List<Edge>> predecessors;
    private final BitSet loopHeads;
    private final List<Edge> backEdges;

    private ControlFlowGraph(Program program, List<Block> blocks, List<Edge> edges) {
        this.program = program;
        this.blocks = List.copyOf(blocks);
        List<List<Edge>> succ = new ArrayList<>(), pred = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            succ.add(new ArrayList<>());
            pred.add(new ArrayList<>());
        }
        for (Edge e : edges) {
            succ.get(e.from()).add(e);
            pred.get(e.to()).add(e);
        }
        this.successors = succ.stream().map(List::copyOf).toList();
        this.predecessors = pred.stream().map(List::copyOf).toList();
        this.loopHeads = new BitSet();
        List<Edge> back = new ArrayList<>();
        findBackEdges(back);
        this.backEdges = List.copyOf(back);
    }

    /**
     * Builds the graph of {@code program}, inlining calls.
     *
     * @throws MalformedControlFlowException if a jump leaves its function or lands inside an instruction
     */
    public static ControlFlowGraph of(Program program) {
        Builder b = new Builder(program);
        b.inline(program.code(), 0, List.of());
        return new ControlFlowGraph(program, b.blocks, b.edges);
    }

    /** The program. */
    public Program program() {
        return program;
    }

    /** All blocks; the entry block is the first. */
    public List<Block> blocks() {
        return blocks;
    }

    /** The entry block. */
    public Block entry() {
        return blocks.getFirst();
    }

    /** Edges leaving {@code block}. */
    public List<Edge> successors(int block) {
        return successors.get(block);
    }

    /** Edges entering {@code block}. */
    public List<Edge> predecessors(int block) {
        return predecessors.get(block);
    }

    /** Whether {@code block} is the target of a back edge (a loop head in depth-first order). */
    public boolean isLoopHead(int block) {
        return loopHeads.get(block);
    }

    /** The back edges: each closes a loop. */
    public List<Edge> backEdges() {
        return backEdges;
    }

    /** Blocks that end the program: an {@code exit} at depth 0. */
    public List<Block> exits() {
        return blocks.stream().filter(b -> b.depth() == 0 && b.last().instruction() instanceof Exit).toList();
    }

    /** Iterative depth-first search: an edge to a block still on the stack is a back edge. */
    private void findBackEdges(List<Edge> back) {
        int n = blocks.size();
        int[] state = new int[n]; // 0 new, 1 on stack, 2 done
        int[] next = new int[n];
        int[] stack = new int[n];
        int top = 0;
        stack[top++] = 0;
        state[0] = 1;
        while (top > 0) {
            int b = stack[top - 1];
            List<Edge> out = successors.get(b);
            if (next[b] < out.size()) {
                Edge e = out.get(next[b]++);
                if (state[e.to()] == 1) {
                    back.add(e);
                    loopHeads.set(e.to());
                } else if (state[e.to()] == 0) {
                    state[e.to()] = 1;
                    stack[top++] = e.to();
                }
            } else {
                state[b] = 2;
                top--;
            }
        }
    }

    /** Splits functions into blocks and copies callees per call site. */
    private static final class Builder {
        private final Program program;
        private final List<Block> blocks = new ArrayList<>();
        private final List<Edge> edges = new ArrayList<>();

        Builder(Program program) {
            this.program = program;
        }

        /** Adds a copy of {@code f}; returns the id of its entry block and collects its exit blocks. */
        int inline(Function f, int depth, List<Integer> callSite) {
            return inline(f, depth, callSite, new ArrayList<>());
        }

        private int inline(Function f, int depth, List<Integer> callSite, List<Integer> exitsOut) {
            List<InstructionAt> code = f.instructions();
            if (code.isEmpty()) {
                throw new MalformedControlFlowException(f.section() + " function " + f.name(), f.offset(),
                        "function has no instructions");
            }
            TreeMap<Integer, Integer> indexOfSlot = new TreeMap<>();
            for (int i = 0; i < code.size(); i++) {
                indexOfSlot.put(code.get(i).slot(), i);
            }
            TreeSet<Integer> leaders = new TreeSet<>();
            leaders.add(0);
            for (int i = 0; i < code.size(); i++) {
                InstructionAt at = code.get(i);
                switch (at.instruction()) {
                    case Branch br -> {
                        leaders.add(indexOf(f, indexOfSlot, at, br.target(at.slot())));
                        if (i + 1 < code.size()) {
                            leaders.add(i + 1);
                        }
                    }
                    case Exit x -> {
                        if (i + 1 < code.size()) {
                            leaders.add(i + 1);
                        }
                    }
                    case CallLocal c -> {
                        if (i + 1 < code.size()) {
                            leaders.add(i + 1);
                        }
                    }
                    default -> { }
                }
            }
            if (blocks.size() + leaders.size() > MAX_BLOCKS) {
                throw new MalformedControlFlowException(f.section() + " function " + f.name(), f.offset(),
                        "more than " + MAX_BLOCKS + " basic blocks once calls are inlined");
            }
            // allocate ids first so that jumps can refer to them
            TreeMap<Integer, Integer> blockOfIndex = new TreeMap<>();
            List<Integer> starts = new ArrayList<>(leaders);
            for (int k = 0; k < starts.size(); k++) {
                int start = starts.get(k);
                int end = k + 1 < starts.size() ? starts.get(k + 1) : code.size();
                int id = blocks.size();
                blocks.add(new Block(id, f, depth, callSite, code.subList(start, end)));
                blockOfIndex.put(start, id);
            }
            for (int k = 0; k < starts.size(); k++) {
                int start = starts.get(k);
                int end = k + 1 < starts.size() ? starts.get(k + 1) : code.size();
                int id = blockOfIndex.get(start);
                InstructionAt last = code.get(end - 1);
                Integer fall = end < code.size() ? blockOfIndex.get(end) : null;
                switch (last.instruction()) {
                    case Goto g -> edges.add(new Edge(id, blockOf(f, indexOfSlot, blockOfIndex, last,
                            g.target(last.slot())), EdgeKind.GOTO, Optional.empty()));
                    case GotoLong g -> edges.add(new Edge(id, blockOf(f, indexOfSlot, blockOfIndex, last,
                            g.target(last.slot())), EdgeKind.GOTO, Optional.empty()));
                    case JumpImm j -> conditional(f, id, last, j, fall, indexOfSlot, blockOfIndex);
                    case JumpReg j -> conditional(f, id, last, j, fall, indexOfSlot, blockOfIndex);
                    case MayGoto j -> conditional(f, id, last, j, fall, indexOfSlot, blockOfIndex);
                    case Exit x -> exitsOut.add(id);
                    case CallLocal c -> {
                        int after = requireFall(f, last, fall);
                        Optional<Function> callee = callee(f, last, c);
                        // recursion is refused by the kernel; the frame limit also bounds its inlining here
                        if (callee.isEmpty() || depth + 1 >= MAX_FRAMES) {
                            edges.add(new Edge(id, after, EdgeKind.OPAQUE_CALL, Optional.of(last)));
                        } else {
                            List<Integer> site = new ArrayList<>(callSite);
                            site.add(last.slot());
                            List<Integer> calleeExits = new ArrayList<>();
                            int entry = inline(callee.get(), depth + 1, site, calleeExits);
                            edges.add(new Edge(id, entry, EdgeKind.CALL, Optional.of(last)));
                            for (int exit : calleeExits) {
                                edges.add(new Edge(exit, after, EdgeKind.RETURN, Optional.of(last)));
                            }
                        }
                    }
                    default -> {
                        if (fall == null) {
                            throw new MalformedControlFlowException(where(f), f.offset() + last.byteOffset(),
                                    "the last instruction falls off the end of the function");
                        }
                        edges.add(new Edge(id, fall, EdgeKind.FALLTHROUGH, Optional.empty()));
                    }
                }
            }
            return blockOfIndex.get(0);
        }

        private void conditional(Function f, int id, InstructionAt last, Branch br, Integer fall,
                                 TreeMap<Integer, Integer> indexOfSlot, TreeMap<Integer, Integer> blockOfIndex) {
            int taken = blockOf(f, indexOfSlot, blockOfIndex, last, br.target(last.slot()));
            edges.add(new Edge(id, taken, EdgeKind.TAKEN, Optional.of(last)));
            edges.add(new Edge(id, requireFall(f, last, fall), EdgeKind.NOT_TAKEN, Optional.of(last)));
        }

        private static int requireFall(Function f, InstructionAt last, Integer fall) {
            if (fall == null) {
                throw new MalformedControlFlowException(where(f), f.offset() + last.byteOffset(),
                        "the last instruction falls off the end of the function");
            }
            return fall;
        }

        private static String where(Function f) {
            return f.section() + " function " + f.name();
        }

        private static int indexOf(Function f, TreeMap<Integer, Integer> indexOfSlot, InstructionAt at, long target) {
            Integer index = target >= Integer.MIN_VALUE && target <= Integer.MAX_VALUE
                    ? indexOfSlot.get((int) target) : null;
            if (index == null) {
                throw new MalformedControlFlowException(where(f), f.offset() + at.byteOffset(),
                        "jump to slot " + target + ", which is outside the function or inside an instruction");
            }
            return index;
        }

        private static int blockOf(Function f, TreeMap<Integer, Integer> indexOfSlot,
                                   TreeMap<Integer, Integer> blockOfIndex, InstructionAt at, long target) {
            return blockOfIndex.get(indexOf(f, indexOfSlot, at, target));
        }

        /** The callee by relocation (symbol, or section plus offset), else by the immediate within the section. */
        private Optional<Function> callee(Function caller, InstructionAt at, CallLocal call) {
            List<Function> all = program.functions();
            for (Relocation r : caller.relocations()) {
                if (r.instruction() == at.slot() && r.kind() == Relocation.Kind.SUBPROGRAM) {
                    for (Function f : all) {
                        if (f.name().equals(r.symbol()) && f.section().equals(r.section())) {
                            return Optional.of(f);
                        }
                    }
                    // static functions are often referenced through the section symbol plus an offset
                    long target = r.offset() + (r.symbol().equals(r.section()) ? (call.offset() + 1) * 8L : 0);
                    for (Function f : all) {
                        if (f.section().equals(r.section()) && (f.offset() == r.offset() || f.offset() == target)) {
                            return Optional.of(f);
                        }
                    }
                    return Optional.empty();
                }
            }
            long target = caller.offset() + call.target(at.slot()) * 8L;
            for (Function f : all) {
                if (f.section().equals(caller.section()) && f.offset() == target) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "cfg of " + program.name() + ": " + blocks.size() + " blocks, " + backEdges.size() + " back edges";
    }

}
