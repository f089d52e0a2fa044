package io.bpfstore.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.analysis.cfg.ControlFlowGraph;
import io.bpfstore.analysis.cfg.MalformedControlFlowException;
import io.bpfstore.analysis.domain.ProgramContext;
import io.bpfstore.analysis.permissions.Capability;
import io.bpfstore.analysis.permissions.Evidence;
import io.bpfstore.analysis.permissions.Permission;
import io.bpfstore.analysis.permissions.PermissionAnalyzer;
import io.bpfstore.analysis.permissions.ProgramPermissions;
import io.bpfstore.analysis.summary.PacketSummarizer;
import io.bpfstore.analysis.summary.PacketSummary;
import io.bpfstore.bytecode.asm.AluOp;
import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.asm.InstructionAt;
import io.bpfstore.bytecode.asm.JumpCondition;
import io.bpfstore.bytecode.asm.Register;
import io.bpfstore.bytecode.asm.Size;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Function;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.SectionNames;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small programs written for one property each: hand-built instruction lists and C compiled with clang. */
class PurposeWrittenProgramsTest {
    @TempDir
    Path work;

    private static final ProgramContext XDP_CONTEXT = new ProgramContext(
            SectionNames.lookup("xdp").map(d -> d.programType()), Map.of(), ByteOrder.LITTLE_ENDIAN);

    /** An XDP program of {@code code}, slots numbered as they come. */
    private static Program xdp(Instruction... code) {
        List<InstructionAt> at = new ArrayList<>();
        int slot = 0;
        for (Instruction i : code) {
            at.add(new InstructionAt(slot, i));
            slot += i.slots();
        }
        return new Program(new Function("prog", "xdp", 0, at, List.of(), true), SectionNames.lookup("xdp"),
                List.of());
    }

    /** The SSH firewall as clang emits it for little-endian targets: 2-byte loads compared with htons values. */
    private static Program sshFirewall() {
        Register r0 = Register.R0, r1 = Register.R1, r2 = Register.R2, r3 = Register.R3;
        return xdp(
                Instruction.load(Size.W, r2, r1, 0),            // 0: r2 = ctx->data
                Instruction.load(Size.W, r1, r1, 4),            // 1: r1 = ctx->data_end
                Instruction.mov64(r0, 2),                       // 2: r0 = XDP_PASS
                Instruction.mov64(r3, r2),                      // 3
                Instruction.alu64(AluOp.ADD, r3, 54),           // 4: r3 = data + 54 (eth + ip + tcp)
                Instruction.jumpIf(JumpCondition.GT, r3, r1, 8), // 5: too short -> exit
                Instruction.load(Size.H, r3, r2, 12),           // 6: ethertype
                Instruction.jumpIf(JumpCondition.NE, r3, 0x0008, 6), // 7: != htons(ETH_P_IP) -> exit
                Instruction.load(Size.B, r3, r2, 23),           // 8: ip->protocol
                Instruction.jumpIf(JumpCondition.NE, r3, 6, 4),  // 9: != IPPROTO_TCP -> exit
                Instruction.load(Size.H, r3, r2, 36),           // 10: tcp->dest
                Instruction.jumpIf(JumpCondition.NE, r3, 0x1600, 1), // 11: != htons(22) -> pass
                Instruction.mov64(r0, 1),                       // 12: XDP_DROP
                Instruction.jump(0),                            // 13
                Instruction.exit());                            // 14
    }

    @Test
    void sshFirewallSummaryIsExact() {
        PacketSummary s = PacketSummarizer.summarize(sshFirewall(), XDP_CONTEXT).orElseThrow();
        assertEquals(List.of("IPv4 TCP dst port 22 → XDP_DROP", "otherwise → XDP_PASS"), s.lines());
        assertTrue(s.complete());
        assertTrue(s.outcomes().stream().noneMatch(o -> o.approximate()), s::toString);
    }

    @Test
    void sshFirewallFromClangSaysTheSame() throws Exception {
        BpfObject object = Examples.compile(work, "ssh_fw", """
                #include <linux/bpf.h>
                #include <linux/if_ether.h>
                #include <linux/ip.h>
                #include <linux/in.h>
                #include <linux/tcp.h>
                #include <bpf/bpf_helpers.h>
                #include <bpf/bpf_endian.h>

                SEC("xdp")
                int ssh_fw(struct xdp_md *ctx)
                {
                	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
                	struct ethhdr *eth = data;
                	struct iphdr *ip = data + sizeof(*eth);
                	struct tcphdr *tcp = (void *)(ip + 1);
                	if ((void *)(tcp + 1) > end)
                		return XDP_PASS;
                	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_TCP)
                		return XDP_PASS;
                	if (tcp->dest == bpf_htons(22))
                		return XDP_DROP;
                	return XDP_PASS;
                }
                char LICENSE[] SEC("license") = "GPL";
                """);
        PacketSummary s = PacketSummarizer.summarize(object, Examples.program(object, "ssh_fw")).orElseThrow();
        assertEquals(List.of("IPv4 TCP dst port 22 → XDP_DROP", "otherwise → XDP_PASS"), s.lines(), s::toString);
    }

    @Test
    void ipv4HeaderLengthIsFollowedThroughShiftAndMask() {
        Register r0 = Register.R0, r1 = Register.R1, r2 = Register.R2, r3 = Register.R3, r4 = Register.R4;
        Program p = xdp(
                Instruction.load(Size.W, r2, r1, 0),             // 0
                Instruction.load(Size.W, r1, r1, 4),             // 1
                Instruction.mov64(r0, 2),                        // 2: XDP_PASS
                Instruction.mov64(r3, r2),                       // 3
                Instruction.alu64(AluOp.ADD, r3, 34),            // 4
                Instruction.jumpIf(JumpCondition.GT, r3, r1, 9), // 5: short -> exit
                Instruction.load(Size.H, r3, r2, 12),            // 6
                Instruction.jumpIf(JumpCondition.NE, r3, 0x0008, 7), // 7: not IPv4 -> exit
                Instruction.load(Size.B, r3, r2, 14),            // 8: version/IHL byte
                Instruction.alu64(AluOp.LSH, r3, 2),             // 9
                Instruction.alu64(AluOp.AND, r3, 0x3c),          // 10: IHL in bytes
                Instruction.mov64(r4, 20),                       // 11
                Instruction.jumpIf(JumpCondition.GT, r4, r3, 1), // 12: 20 > ihl -> drop
                Instruction.jump(1),                             // 13
                Instruction.mov64(r0, 1),                        // 14: XDP_DROP
                Instruction.exit());                             // 15
        assertEquals(List.of("IPv4 header length < 20 bytes → XDP_DROP", "otherwise → XDP_PASS"),
                PacketSummarizer.summarize(p, XDP_CONTEXT).orElseThrow().lines());
    }

    @Test
    void boundedLoopTerminatesThroughWidening() {
        Register r0 = Register.R0, r2 = Register.R2;
        Program loop = xdp(
                Instruction.mov64(r2, 0),                        // 0
                Instruction.alu64(AluOp.ADD, r2, 1),             // 1: loop head
                Instruction.jumpIf(JumpCondition.LT, r2, 1000, -2), // 2: back edge to 1
                Instruction.mov64(r0, 2),                        // 3
                Instruction.exit());                             // 4
        ControlFlowGraph g = ControlFlowGraph.of(loop);
        assertEquals(1, g.backEdges().size(), g::toString);
        PacketSummarizer.Analysis a = PacketSummarizer.analyze(loop, XDP_CONTEXT);
        assertTrue(a.complete(), "fixpoint not reached");
        // 1000 iterations would take 1000 visits of the head without widening
        assertTrue(a.visits() < 50, "visits " + a.visits());
        assertEquals(List.of("any traffic → XDP_PASS"), PacketSummarizer.summarize(a).lines());
    }

    @Test
    void recursionIsInlinedUpToTheFrameLimitThenOpaque() {
        Program recursive = xdp(
                Instruction.mov64(Register.R0, 2),               // 0
                new io.bpfstore.bytecode.asm.CallLocal(-2),       // 1: calls slot 0, itself
                Instruction.exit());                             // 2
        ControlFlowGraph g = ControlFlowGraph.of(recursive);
        assertEquals(ControlFlowGraph.MAX_FRAMES - 1, g.blocks().stream().mapToInt(b -> b.depth()).max().orElse(0));
        assertTrue(g.blocks().stream().anyMatch(b -> g.successors(b.id()).stream()
                .anyMatch(e -> e.kind() == io.bpfstore.analysis.cfg.EdgeKind.OPAQUE_CALL)));
        PacketSummarizer.Analysis a = PacketSummarizer.analyze(recursive, XDP_CONTEXT);
        assertTrue(a.complete());
        // the innermost call is not followed: its result, and so the verdict, is unknown, and said to be
        String line = PacketSummarizer.summarize(a).lines().getFirst();
        assertTrue(line.startsWith("any traffic → return value"), line);
    }

    @Test
    void jumpOutOfTheFunctionIsATypedError() {
        Program bad = xdp(Instruction.jump(5), Instruction.exit());
        MalformedControlFlowException e = assertThrows(MalformedControlFlowException.class,
                () -> ControlFlowGraph.of(bad));
        assertTrue(e.getMessage().contains("outside the function"), e.getMessage());
    }

    @Test
    void fallingOffTheEndIsATypedError() {
        Program bad = xdp(Instruction.mov64(Register.R0, 2));
        assertThrows(MalformedControlFlowException.class, () -> ControlFlowGraph.of(bad));
    }

    @Test
    void probeWriteUserIsWritingProcessMemoryWithTheInstructionAsEvidence() throws Exception {
        BpfObject object = Examples.compile(work, "poke", """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>

                SEC("tracepoint/syscalls/sys_enter_write")
                int poke(void *ctx)
                {
                	char msg[4] = "hi!";
                	void *where = (void *)0x1000;
                	bpf_probe_write_user(where, msg, sizeof(msg));
                	return 0;
                }
                char LICENSE[] SEC("license") = "GPL";
                """);
        ProgramPermissions p = PermissionAnalyzer.derive(object).get("poke");
        assertTrue(p.has(Permission.WRITES_PROCESS_MEMORY), p::toString);
        assertTrue(p.has(Permission.OBSERVES_KERNEL_EVENTS), p::toString);
        assertEquals(java.util.EnumSet.of(Capability.CAP_BPF, Capability.CAP_PERFMON, Capability.CAP_SYS_ADMIN),
                p.capabilities());
        Evidence e = p.evidenceFor(Permission.WRITES_PROCESS_MEMORY).getFirst();
        assertEquals("call 0x24", e.text().orElseThrow(), "BPF_FUNC_probe_write_user is 36");
        assertTrue(e.line().orElseThrow().fileName().endsWith("poke.c"), e::toString);
        assertEquals(9, e.line().orElseThrow().line(), e::toString);
        assertTrue(e.toString().startsWith("writes process memory (poke, insn " + e.site().orElseThrow().slot()
                + ": call 0x24 at poke.c:9"), e::toString);
        // a declaration without it is exceeded, and the refusal names the instruction
        List<Evidence> exceeding = p.exceeding(List.of(Permission.OBSERVES_KERNEL_EVENTS));
        assertEquals(List.of(Permission.WRITES_PROCESS_MEMORY),
                exceeding.stream().map(Evidence::permission).toList());
        assertTrue(p.exceeding(p.permissions()).isEmpty());
        assertFalse(PacketSummarizer.summarize(object, Examples.program(object, "poke")).isPresent(),
                "tracepoints have no packet summary");
        assertEquals(Optional.empty(), PacketSummarizer.summarize(object, Examples.program(object, "poke")));
    }
}
