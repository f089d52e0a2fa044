package io.bpfstore.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.analysis.cfg.Block;
import io.bpfstore.analysis.cfg.ControlFlowGraph;
import io.bpfstore.analysis.cfg.EdgeKind;
import io.bpfstore.bytecode.asm.InstructionAt;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Control-flow graphs of the example catalog, checked against llvm-objdump's labels. */
class ControlFlowGraphTest {
    /** A label line of llvm-objdump: {@code 0000000000000060 <LBB0_3>:}. */
    private static final Pattern LABEL = Pattern.compile("^([0-9a-f]{16}) <(LBB[0-9_]+)>:$");

    @Test
    void everyLlvmLabelStartsABlockAndEveryInstructionIsInExactlyOneEntryBlock() throws Exception {
        for (Path path : Examples.objects()) {
            BpfObject object = BpfObject.read(path);
            String listing = Examples.run(List.of("llvm-objdump-19", "-d", "--no-show-raw-insn", path.toString()));
            for (Program program : object.programs()) {
                ControlFlowGraph g = ControlFlowGraph.of(program);
                Set<Integer> starts = new TreeSet<>();
                Set<Integer> seen = new HashSet<>();
                for (Block b : g.blocks()) {
                    if (b.depth() == 0) {
                        starts.add(b.firstSlot());
                        for (InstructionAt at : b.instructions()) {
                            assertTrue(seen.add(at.slot()), program.name() + ": slot " + at.slot() + " twice");
                        }
                    }
                }
                assertEquals(program.code().instructions().size(), seen.size(), program.name());
                for (int label : labels(listing, program)) {
                    assertTrue(starts.contains(label), path.getFileName() + " " + program.name()
                            + ": llvm-objdump labels slot " + label + " but no block starts there: " + starts);
                }
            }
        }
    }

    /** Slots (relative to the program's function) of the LBB labels llvm-objdump prints inside it. */
    private static List<Integer> labels(String listing, Program program) {
        List<Integer> out = new java.util.ArrayList<>();
        boolean inSection = false;
        long start = program.code().offset(), end = start + program.code().slots() * 8L;
        for (String line : listing.split("\n")) {
            if (line.startsWith("Disassembly of section ")) {
                inSection = line.equals("Disassembly of section " + program.section() + ":");
            }
            Matcher m = LABEL.matcher(line.strip());
            if (inSection && m.matches()) {
                long off = Long.parseLong(m.group(1), 16);
                if (off >= start && off < end) {
                    out.add((int) ((off - start) / 8));
                }
            }
        }
        return out;
    }

    @Test
    void callsAreInlinedPerCallSiteAndReturnToTheirSite() throws Exception {
        BpfObject object = Examples.object("subprog_calls.o");
        Program p = Examples.program(object, "xdp_size_hist");
        assertFalse(p.subprograms().isEmpty());
        ControlFlowGraph g = ControlFlowGraph.of(p);
        long calls = g.blocks().stream().flatMap(b -> g.successors(b.id()).stream())
                .filter(e -> e.kind() == EdgeKind.CALL).count();
        long callInstructions = p.code().instructions().stream()
                .filter(at -> at.instruction() instanceof io.bpfstore.bytecode.asm.CallLocal).count();
        assertTrue(calls >= callInstructions && callInstructions > 0, calls + " call edges, " + callInstructions
                + " calls in the entry function");
        for (Block b : g.blocks()) {
            for (var e : g.successors(b.id())) {
                if (e.kind() == EdgeKind.RETURN) {
                    Block to = g.blocks().get(e.to());
                    assertEquals(b.depth() - 1, to.depth(), "a return goes one frame up");
                }
            }
        }
    }

    @Test
    void loopsHaveBackEdgesAndUnrolledCodeHasNone() throws Exception {
        ControlFlowGraph loops = ControlFlowGraph.of(Examples.program(Examples.object("loops.o"), "xdp_loops"));
        assertFalse(loops.backEdges().isEmpty(), "loops.c has a bounded, not unrolled loop");
        ControlFlowGraph fw = ControlFlowGraph.of(Examples.program(Examples.object("xdp_firewall.o"),
                "xdp_firewall"));
        assertTrue(fw.backEdges().isEmpty(), "parse.h loops are unrolled");
    }
}
