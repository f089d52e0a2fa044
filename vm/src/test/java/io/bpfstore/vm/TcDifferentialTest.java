package io.bpfstore.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.TestRun;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.loader.Loader;
import io.bpfstore.testsupport.BpfClang;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.vm.capture.CapturedPacket;
import io.bpfstore.vm.replay.Hook;
import io.bpfstore.vm.replay.Replay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tc programs in the VM against the kernel's BPF_PROG_TEST_RUN: the example catalog's tc programs and a
 * purpose-written one that reads __sk_buff fields, writes the mark, and rewrites a UDP port with
 * bpf_skb_store_bytes and bpf_l4_csum_replace. Verdict, packet and (for programs without clock reads) maps
 * must be identical.
 */
class TcDifferentialTest {
    private static final int PACKETS = Integer.getInteger("bpfstore.vm.diff.packets", 15_000) / 3;

    @TempDir
    Path dir;

    private static final String REWRITER = """
            #include <linux/bpf.h>
            #include <linux/if_ether.h>
            #include <linux/ip.h>
            #include <linux/udp.h>
            #include <linux/in.h>
            #include <linux/pkt_cls.h>
            #include <bpf/bpf_helpers.h>
            #include <bpf/bpf_endian.h>
            struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 8); __type(key, __u32); __type(value, __u64); } seen SEC(".maps");
            static void bump(__u32 k, __u64 by) { __u64 *v = bpf_map_lookup_elem(&seen, &k); if (v) __sync_fetch_and_add(v, by); }
            SEC("tc")
            int rewrite(struct __sk_buff *skb)
            {
                bump(0, skb->len);
                bump(1, skb->protocol);
                bump(2, skb->pkt_type);
                bump(3, skb->ifindex);
                skb->mark = 7;
                bump(4, skb->mark);
                void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
                struct ethhdr *eth = data;
                struct iphdr *ip = data + sizeof(*eth);
                struct udphdr *udp = (void *)(ip + 1);
                if ((void *)(udp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
                    return TC_ACT_UNSPEC;
                if (ip->protocol != IPPROTO_UDP)
                    return ip->protocol == IPPROTO_ICMP ? TC_ACT_SHOT : TC_ACT_OK;
                __be16 old = udp->dest, new = bpf_htons(5353);
                __be32 oldaddr = ip->daddr, newaddr = bpf_htonl(0x0a0000fe); /* read before helpers invalidate packet pointers */
                int off = sizeof(*eth) + sizeof(*ip);
                bpf_l4_csum_replace(skb, off + offsetof(struct udphdr, check), old, new, BPF_F_MARK_MANGLED_0 | sizeof(new));
                bpf_skb_store_bytes(skb, off + offsetof(struct udphdr, dest), &new, sizeof(new), 0);
                bpf_l3_csum_replace(skb, sizeof(*eth) + offsetof(struct iphdr, check), oldaddr, newaddr, sizeof(newaddr));
                bpf_skb_store_bytes(skb, sizeof(*eth) + offsetof(struct iphdr, daddr), &newaddr, sizeof(newaddr), 0);
                bump(5, 1);
                return TC_ACT_OK;
            }
            char LICENSE[] SEC("license") = "GPL";
            """;

    @Test
    void tcProgramsBehaveAsInTheKernel() throws Exception {
        assumeTrue(KernelDifferentialTest.root(), "needs root for BPF_PROG_TEST_RUN");
        Path source = dir.resolve("rewrite.c");
        Files.writeString(source, REWRITER);
        List<Path> objects = new ArrayList<>(List.of(BpfClang.compile(source, dir.resolve("rewrite.o"))));
        for (String name : List.of("tc_port_drop.o", "tc_flow_bytes.o", "global_data.o")) {
            objects.add(ExampleObjects.resolve(name));
        }
        int compared = 0;
        int refused = 0;
        for (Path path : objects) {
            BpfObject object = BpfObject.read(path);
            List<Program> tc = object.programs().stream().filter(p -> p.type().orElse(null) == ProgramType.SCHED_CLS).toList();
            assertTrue(!tc.isEmpty(), path + " has a tc program");
            Program program = tc.getFirst();
            Packets generator = new Packets(path.getFileName().toString().hashCode());
            List<CapturedPacket> packets = new ArrayList<>();
            for (int i = 0; i < PACKETS; i++) {
                byte[] p = generator.next();
                packets.add(new CapturedPacket(i, p, p.length));
            }
            for (Executor executor : List.of(new Interpreter(), new Compiler())) {
                try (LoadedObject kernel = Loader.load(object, new LoadOptions(dir, LoadOptions.VMLINUX_BTF, false, false))) {
                    // The kernel first: its test run refuses an IPv4/IPv6 frame too short for its L3 header (EINVAL).
                    // Such a frame never reaches a tc hook this way, so the VM gets only the frames the kernel ran.
                    List<TestRun.Result> expected = new ArrayList<>();
                    List<CapturedPacket> accepted = new ArrayList<>();
                    for (CapturedPacket p : packets) {
                        try {
                            expected.add(kernel.program(program.name()).testRun(TestRun.of(p.data())));
                            accepted.add(p);
                        } catch (io.bpfstore.kernel.BpfException e) {
                            assertEquals(22, e.errnoNumber(), HexFormat.of().formatHex(p.data()) + ": " + e.getMessage());
                            refused++;
                        }
                    }
                    Replay.Member member = new Replay.Member(path.getFileName().toString(), object, program.name(), java.util.Set.of(-1L));
                    Replay.Result result = Replay.run(List.of(member), accepted, executor, Hook.TC_INGRESS);
                    for (int i = 0; i < accepted.size(); i++) {
                        Replay.PacketOutcome actual = result.packets().get(i);
                        String where = path.getFileName() + " (" + executor.getClass().getSimpleName() + ") packet " + i
                                + " " + HexFormat.of().formatHex(accepted.get(i).data());
                        // TCX_NEXT (-1) from the only member hands the packet past the chain's end: it passes (TC_ACT_OK)
                        boolean next = expected.get(i).returnValue() == -1;
                        assertEquals(next ? 0 : expected.get(i).returnValue(), (int) actual.verdict(), where + ": verdict " + actual.fault());
                        assertEquals(next, actual.endedBy().isEmpty(), where + ": ended by");
                        assertArrayEquals(expected.get(i).data(), actual.output(), where + ": packet after the run");
                    }
                    boolean clock = program.helperIds().stream().anyMatch(id -> id == 5 || id == 125 || id == 160 || id == 208);
                    for (Map.Entry<String, BpfMap> m : kernel.maps().entrySet()) {
                        if (clock || m.getValue().isPerCpu()) {
                            continue; // clock values differ by design; per-CPU values are compared in the XDP test
                        }
                        Map<String, String> want = new TreeMap<>();
                        for (byte[] key : m.getValue().keys()) {
                            want.put(HexFormat.of().formatHex(key), HexFormat.of().formatHex(m.getValue().lookup(key).orElseThrow()));
                        }
                        Map<String, String> got = new TreeMap<>();
                        result.maps().stream().filter(c -> c.map().equals(m.getKey())).findFirst().orElseThrow()
                                .entries().forEach((k, v) -> got.put(k, String.join("", v)));
                        assertEquals(want, got, path.getFileName() + " map " + m.getKey());
                    }
                }
                compared++;
            }
        }
        assertEquals(8, compared);
        assertTrue(refused < compared * PACKETS / 5, "the kernel refused " + refused + " packets: too many to compare");
        System.out.println("TcDifferentialTest: 4 tc programs x 2 forms x " + PACKETS + " packets identical; "
                + refused + " packets the kernel's test run refuses (truncated L3 headers) not compared");
    }
}
