package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.kernel.TestRun;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.loader.Loader;
import io.bpfstore.testsupport.BpfClang;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import io.bpfstore.testsupport.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bpfstore replay} on captures written by text2pcap: verdicts and the package ending the chain agree
 * with the kernel's BPF_PROG_TEST_RUN of the same programs, --order-diff finds exactly the packets two
 * packages treat differently by order, and --out writes the packets tshark then reads.
 */
class ReplayCommandTest {
    @TempDir
    Path dir;

    /** ICMP echo requests (xdp_reflect answers them), UDP and TCP, as Ethernet frames. */
    private static List<byte[]> traffic() {
        List<byte[]> out = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < 60; i++) {
            String eth = "020000000002" + "020000000001" + "0800";
            String packet = switch (i % 3) {
                case 0 -> eth + "4500001c0001000040010000" + "0a000001" + "0a000002" + "0800f7fe0001" + String.format("%04x", i);
                case 1 -> eth + "4500001c0001000040110000" + "0a000001" + "0a000002" + "30390035" + "00080000";
                default -> eth + "450000280001000040060000" + "0a000001" + "0a000002" + "9c400050" + "00000001"
                        + "00000000" + "50020400" + "00000000";
            };
            out.add(hex.parseHex(packet));
        }
        return out;
    }

    private Path capture(List<byte[]> packets) throws Exception {
        StringBuilder dump = new StringBuilder();
        for (byte[] p : packets) {
            dump.append("000000");
            for (byte b : p) {
                dump.append(' ').append(HexFormat.of().toHexDigits(b));
            }
            dump.append("\n\n");
        }
        Path text = dir.resolve("traffic.txt");
        Files.writeString(text, dump);
        Path pcap = dir.resolve("traffic.pcapng");
        ToolResult r = ExternalTool.run("text2pcap", "-q", text.toString(), pcap.toString());
        assertEquals(0, r.exit(), r.err());
        return pcap;
    }

    private static boolean root() throws Exception {
        boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        if (!root) {
            System.err.println("SKIPPED: the kernel comparison of ReplayCommandTest needs root (BPF_PROG_TEST_RUN)");
        }
        return root;
    }

    @Test
    void verdictsAndEndingPackageAgreeWithTheKernel() throws Exception {
        assumeTrue(root(), "needs root");
        List<byte[]> packets = traffic();
        Path reflect = ExampleObjects.resolve("xdp_reflect.o");
        Path counter = ExampleObjects.resolve("xdp_counter.o");
        Cli.Result run = Cli.run("replay", reflect.toString(), counter.toString(), "--pcap", capture(packets).toString(),
                "-o", "json");
        assertEquals(0, run.exit(), run.err());
        JsonNode json = Json.mapper().readTree(run.out());
        try (LoadedObject kernel = Loader.load(BpfObject.read(reflect), new LoadOptions(dir, LoadOptions.VMLINUX_BTF, false, false))) {
            int tx = 0;
            for (int i = 0; i < packets.size(); i++) {
                TestRun.Result expected = kernel.program("xdp_reflect").testRun(TestRun.of(packets.get(i)));
                JsonNode p = json.get("packets").get(i);
                assertEquals(i, p.get("index").asInt());
                if (expected.returnValue() == 2) { // reflect passes it on: the counter passes it too
                    assertEquals("XDP_PASS", p.get("verdict").asText(), "packet " + i);
                    assertTrue(p.get("ended_by").isNull(), "packet " + i + " went through the whole chain");
                } else {
                    assertEquals(expected.returnValue() == 3 ? "XDP_TX" : "other", p.get("verdict").asText(), "packet " + i);
                    assertEquals("xdp_reflect", p.get("ended_by").get("program").asText());
                    tx++;
                }
            }
            assertTrue(tx >= 20, "at least every ICMP echo request is answered, by the kernel's count: " + tx);
            assertEquals(tx, json.get("verdicts").get("XDP_TX").asInt());
            assertEquals(packets.size() - tx, json.get("verdicts_by_package").get("xdp_counter.o").get("XDP_PASS").asInt(),
                    "the counter saw only what reflect handed on");
        }
    }

    @Test
    void checkReplayBacksTheHiddenTrafficFindingWithPackets() throws Exception {
        Path dropper = dropper();
        Path pcap = capture(traffic());
        Cli.Result run = Cli.run("check", dropper.toString(), ExampleObjects.resolve("xdp_counter.o").toString(),
                "--replay", pcap.toString(), "-o", "json");
        JsonNode json = Json.mapper().readTree(run.out());
        JsonNode overlap = null;
        for (JsonNode f : json.get("findings")) {
            if (f.get("class").asText().equals("semantic-overlap")) {
                overlap = f;
            }
        }
        assertTrue(overlap != null, "the ICMP dropper hides traffic from the counter: " + run.out());
        List<Integer> evidence = new ArrayList<>();
        overlap.get("evidence").forEach(n -> evidence.add(n.asInt()));
        assertEquals(List.of(0, 3, 6, 9, 12), evidence, "the first five ICMP packets, which the counter alone counts");
        Cli.Result text = Cli.run("check", dropper.toString(), ExampleObjects.resolve("xdp_counter.o").toString(),
                "--replay", pcap.toString());
        assertTrue(text.out().contains("(semantic-overlap): packets [0, 3, 6, 9, 12]"), text.out());
    }

    private Path dropper() throws Exception {
        Path source = dir.resolve("drop_icmp.c");
        Files.writeString(source, """
                #include <linux/bpf.h>
                #include <linux/if_ether.h>
                #include <linux/ip.h>
                #include <linux/in.h>
                #include <bpf/bpf_helpers.h>
                #include <bpf/bpf_endian.h>
                SEC("xdp")
                int drop_icmp(struct xdp_md *ctx)
                {
                    void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
                    struct ethhdr *eth = data;
                    struct iphdr *ip = data + sizeof(*eth);
                    if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
                        return XDP_PASS;
                    return ip->protocol == IPPROTO_ICMP ? XDP_DROP : XDP_PASS;
                }
                char LICENSE[] SEC("license") = "GPL";
                """);
        return BpfClang.compile(source, dir.resolve("drop_icmp.o"));
    }

    @Test
    void orderDiffFindsThePacketsTreatedDifferentlyByOrderAndOutWritesWhatLeft() throws Exception {
        Path dropper = dropper();
        List<byte[]> packets = traffic();
        Path pcap = capture(packets);
        Path reflect = ExampleObjects.resolve("xdp_reflect.o");
        Path out = dir.resolve("left.pcap");
        Cli.Result run = Cli.run("replay", dropper.toString(), reflect.toString(), "--pcap", pcap.toString(),
                "--order-diff", "--out", out.toString(), "-o", "json");
        assertEquals(0, run.exit(), run.err());
        JsonNode json = Json.mapper().readTree(run.out());
        Set<Integer> differing = new TreeSet<>();
        json.get("order_diff").forEach(n -> differing.add(n.asInt()));
        Set<Integer> icmp = new TreeSet<>();
        for (int i = 0; i < packets.size(); i += 3) {
            icmp.add(i);
        }
        assertEquals(icmp, differing, "dropped before reflect, answered after it: exactly the ICMP packets");
        assertEquals(20, json.get("verdicts").get("XDP_DROP").asInt());
        String frames = ExternalTool.output("tshark", "-r", out.toString(), "-T", "fields", "-e", "ip.proto");
        List<String> protocols = frames.strip().lines().toList();
        assertEquals(40, protocols.size(), "the dropped ICMP packets are not in --out");
        assertTrue(protocols.stream().noneMatch("1"::equals), protocols.toString());
    }

    @Test
    void initialMapContentsFromJsonAndFromALivePinnedMapDropAsTheKernelDoes() throws Exception {
        assumeTrue(root(), "needs root");
        List<byte[]> packets = traffic();
        Path pcap = capture(packets);
        Path firewall = ExampleObjects.resolve("xdp_firewall.o");
        byte[] key = HexFormat.of().parseHex("11003500"); // struct port_key {proto 17, pad 0, port 53 (host order)}
        byte[] value = new byte[8];
        Path json = dir.resolve("maps.json");
        Files.writeString(json, "[{\"package\": \"xdp_firewall.o\", \"map\": \"deny_dst_port\", \"key\": \"11003500\", "
                + "\"value\": \"0000000000000000\"}]");
        Path bpffs = Files.createDirectories(Path.of("/tmp/bst-test-" + ProcessHandle.current().pid() + "-replay"));
        assertEquals(0, ExternalTool.run("mount", "-t", "bpf", "bpf", bpffs.toString()).exit());
        try (LoadedObject kernel = Loader.load(BpfObject.read(firewall), new LoadOptions(dir, LoadOptions.VMLINUX_BTF, false, false))) {
            kernel.map("deny_dst_port").update(key, value, io.bpfstore.kernel.UpdateMode.ANY);
            Path pin = bpffs.resolve("deny_dst_port");
            kernel.map("deny_dst_port").pin(pin);
            Cli.Result fromJson = Cli.run("replay", firewall.toString(), "--pcap", pcap.toString(), "--maps", json.toString(), "-o", "json");
            Cli.Result fromPin = Cli.run("replay", firewall.toString(), "--pcap", pcap.toString(),
                    "--map-from", "xdp_firewall.o:deny_dst_port=" + pin, "-o", "json");
            assertEquals(0, fromJson.exit(), fromJson.err());
            assertEquals(0, fromPin.exit(), fromPin.err());
            int dropped = 0;
            for (Cli.Result run : List.of(fromJson, fromPin)) {
                JsonNode out = Json.mapper().readTree(run.out());
                for (int i = 0; i < packets.size(); i++) {
                    int expected = kernel.program("xdp_firewall").testRun(TestRun.of(packets.get(i))).returnValue();
                    String verdict = out.get("packets").get(i).get("verdict").asText();
                    assertEquals(expected == 1 ? "XDP_DROP" : "XDP_PASS", verdict, "packet " + i);
                    dropped += expected == 1 ? 1 : 0;
                }
            }
            assertEquals(40, dropped, "the UDP packets to port 53 are dropped, in both runs");
        } finally {
            ExternalTool.run("umount", bpffs.toString());
            Files.deleteIfExists(bpffs);
        }
        Files.writeString(json, "[{\"package\": \"xdp_firewall.o\", \"map\": \"nope\", \"key\": \"00\", \"value\": \"00\"}]");
        Cli.Result bad = Cli.run("replay", firewall.toString(), "--pcap", pcap.toString(), "--maps", json.toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("has no map nope"), bad.err());
    }

    @Test
    void aProgramThatStraysIsAFaultNamingInstructionAndSourceLine() throws Exception {
        Path source = dir.resolve("oob.c");
        Files.writeString(source, """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                SEC("xdp")
                int oob(struct xdp_md *ctx)
                {
                    unsigned char *data = (void *)(long)ctx->data;
                    return data[5000] == 1 ? XDP_DROP : XDP_PASS; /* no bounds check: the verifier would refuse it */
                }
                char LICENSE[] SEC("license") = "GPL";
                """);
        Path oob = BpfClang.compile(source, dir.resolve("oob.o"));
        Cli.Result run = Cli.run("replay", oob.toString(), "--pcap", capture(traffic()).toString(), "-o", "json");
        assertEquals(0, run.exit(), run.err());
        JsonNode first = Json.mapper().readTree(run.out()).get("packets").get(0);
        assertEquals("XDP_ABORTED", first.get("verdict").asText());
        assertEquals("oob", first.get("ended_by").get("program").asText());
        String fault = first.get("fault").asText();
        assertTrue(fault.matches("oob\\.o: oob instruction \\d+: read of 1 bytes at offset \\d+ of packet outside .*"), fault);
        assertTrue(fault.contains("(at oob.c:7: return data[5000]"), fault);
    }

    @Test
    void badInputIsOneLine() throws Exception {
        Path bad = dir.resolve("bad.pcap");
        Files.write(bad, new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0});
        Cli.Result run = Cli.run("replay", ExampleObjects.resolve("xdp_counter.o").toString(), "--pcap", bad.toString());
        assertEquals(1, run.exit());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("pcap header truncated"), run.err());
        Cli.Result tracing = Cli.run("replay", ExampleObjects.resolve("exec_trace.o").toString(), "--pcap", bad.toString());
        assertEquals(1, tracing.exit());
        assertTrue(tracing.err().contains("has no XDP program"), tracing.err());
    }
}
