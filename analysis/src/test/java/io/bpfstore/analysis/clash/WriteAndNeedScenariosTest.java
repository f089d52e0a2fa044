package io.bpfstore.analysis.clash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.kernel.TestRun;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios of issue 14: exact semantic overlap (a later program needs hidden traffic only where it does something
 * with it: writes a map, changes the packet or its metadata, or returns a verdict other than passing it on) and
 * write-write conflicts (two programs on one chain writing the same packet bytes or metadata). Each XDP scenario is
 * also run by the kernel through the composed dispatcher (BPF_PROG_TEST_RUN): the later write wins in the frame
 * that comes out, or the later program's map stays unchanged on the hidden traffic.
 */
class WriteAndNeedScenariosTest {
    private static final int XDP_DROP = 1, XDP_PASS = 2;
    private static final int TTL = 14 + 8, TOS = 14 + 1, CHECK = 14 + 10, SRC = 14 + 12, DST = 14 + 16;

    @TempDir
    static Path work;

    static CheckedPackage sshDrop, udpCounter, tcpCounter, configReader, tcpLogger, bssCounter;
    static CheckedPackage ttlOne, ttl64, dstA, dstB, srcOnly, tosCsum, ttlCsum, mac22, mac53, dstTx;
    static CheckedPackage tcSshShot, tcMarkTcp, tcMarkUdp, markA, markB, markOk, tcStoreDst, tcDirectDst;

    @BeforeAll
    static void compile() throws Exception {
        sshDrop = xdp("ssh_drop", l4("IPPROTO_TCP", "struct tcphdr", """
                	return l4->dest == bpf_htons(22) ? XDP_DROP : XDP_PASS;
                """));
        udpCounter = xdp("udp_counter", protocolCounter("IPPROTO_UDP", "udp_seen"));
        tcpCounter = xdp("tcp_counter", protocolCounter("IPPROTO_TCP", "tcp_seen"));
        configReader = xdp("config_reader", counter("config") + ipv4("""
                	__u32 k = 0;
                	__u64 *v = bpf_map_lookup_elem(&config, &k);
                	if (v) {
                		volatile __u64 seen = *(volatile __u64 *)v;
                		(void)seen;
                	}
                	return XDP_PASS;
                """));
        tcpLogger = xdp("tcp_logger", """
                struct {
                	__uint(type, BPF_MAP_TYPE_RINGBUF);
                	__uint(max_entries, 4096);
                } events SEC(".maps");
                """ + ipv4("""
                	if (ip->protocol == IPPROTO_TCP) {
                		__u32 dst = ip->daddr;
                		bpf_ringbuf_output(&events, &dst, sizeof(dst), 0);
                	}
                	return XDP_PASS;
                """));
        bssCounter = xdp("bss_counter", "__u64 tcp_packets;\n" + ipv4("""
                	if (ip->protocol == IPPROTO_TCP)
                		__sync_fetch_and_add(&tcp_packets, 1);
                	return XDP_PASS;
                """));
        ttlOne = xdp("ttl_one", ipv4("\tip->ttl = 1;\n\treturn XDP_PASS;\n"));
        ttl64 = xdp("ttl_64", ipv4("\tip->ttl = 99;\n\treturn XDP_PASS;\n"));
        dstA = xdp("dst_a", ipv4("\tip->daddr = bpf_htonl(0x0a000001);\n\treturn XDP_PASS;\n"));
        dstB = xdp("dst_b", ipv4("\tip->daddr = bpf_htonl(0x0a000002);\n\treturn XDP_PASS;\n"));
        srcOnly = xdp("src_only", ipv4("\tip->saddr = bpf_htonl(0x0a000003);\n\treturn XDP_PASS;\n"));
        tosCsum = xdp("tos_csum", ipv4("\tip->tos = 0x10;\n\tip->check = bpf_htons(0x1111);\n\treturn XDP_PASS;\n"));
        ttlCsum = xdp("ttl_csum", ipv4("\tip->ttl = 7;\n\tip->check = bpf_htons(0x2222);\n\treturn XDP_PASS;\n"));
        mac22 = xdp("mac22", l4("IPPROTO_TCP", "struct tcphdr", """
                	if (l4->dest != bpf_htons(22))
                		return XDP_PASS;
                	eth->h_dest[5] = 0x22;
                	return XDP_PASS;
                """));
        mac53 = xdp("mac53", l4("IPPROTO_UDP", "struct udphdr", """
                	if (l4->dest != bpf_htons(53))
                		return XDP_PASS;
                	eth->h_dest[5] = 0x53;
                	return XDP_PASS;
                """));
        dstTx = xdp("dst_tx", ipv4("\tip->daddr = bpf_htonl(0x0a000009);\n\treturn XDP_TX;\n"));
        tcSshShot = tc("tc_ssh_shot", """
                	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
                	struct ethhdr *eth = data;
                	struct iphdr *ip = data + sizeof(*eth);
                	struct tcphdr *tcp = (void *)(ip + 1);
                	if ((void *)(tcp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_TCP)
                		return TC_ACT_UNSPEC;
                	return tcp->dest == bpf_htons(22) ? TC_ACT_SHOT : TC_ACT_UNSPEC;
                """);
        tcMarkTcp = tc("tc_mark_tcp", tcIpv4("\tif (ip->protocol == IPPROTO_TCP)\n\t\tskb->mark = 6;\n"
                + "\treturn TC_ACT_UNSPEC;\n"));
        tcMarkUdp = tc("tc_mark_udp", tcIpv4("\tif (ip->protocol == IPPROTO_UDP)\n\t\tskb->mark = 17;\n"
                + "\treturn TC_ACT_UNSPEC;\n"));
        markA = tc("mark_a", "\tskb->mark = 1;\n\treturn TC_ACT_UNSPEC;\n");
        markB = tc("mark_b", "\tskb->mark = 2;\n\treturn TC_ACT_UNSPEC;\n");
        markOk = tc("mark_ok", "\tskb->mark = 1;\n\treturn TC_ACT_OK;\n");
        tcStoreDst = tc("tc_store_dst", tcIpv4("""
                	__u32 addr = bpf_htonl(0x0a000001);
                	bpf_skb_store_bytes(skb, 30, &addr, sizeof(addr), 0);
                	return TC_ACT_UNSPEC;
                """));
        tcDirectDst = tc("tc_direct_dst", tcIpv4("\tip->daddr = bpf_htonl(0x0a000002);\n\treturn TC_ACT_UNSPEC;\n"));
    }

    // ------------------------------------------------------------------------------------ exact overlap (14.2)

    @Test
    void counterOfOtherTrafficNeedsNothingTheFirewallHides() {
        ClashReport report = check(sshDrop, udpCounter);
        assertEquals(List.of(), report.of(FindingClass.SEMANTIC_OVERLAP), () -> lines(report));
        byte[] ssh = KernelChain.frame(6, 22);
        try (KernelChain chain = new KernelChain(sshDrop, udpCounter)) {
            long before = chain.counter(1, "udp_seen");
            assertEquals(XDP_PASS, chain.alone(1, ssh).returnValue());
            assertEquals(before, chain.counter(1, "udp_seen"), "the counter alone does nothing with TCP port 22");
            assertEquals(XDP_DROP, chain.run(ssh).returnValue());
            chain.run(KernelChain.frame(17, 53));
            assertEquals(before + 1, chain.counter(1, "udp_seen"), "UDP still reaches it through the dispatcher");
        }
    }

    @Test
    void counterOfTheHiddenTrafficStillClashes() {
        Finding f = only(check(sshDrop, tcpCounter), FindingClass.SEMANTIC_OVERLAP);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(List.of("IPv4 TCP dst port 22"), traffic(f));
        assertTrue(f.message().contains("its maps miss it"), f.message());
        byte[] ssh = KernelChain.frame(6, 22);
        try (KernelChain chain = new KernelChain(sshDrop, tcpCounter)) {
            long before = chain.counter(1, "tcp_seen");
            assertEquals(XDP_DROP, chain.run(ssh).returnValue());
            assertEquals(before, chain.counter(1, "tcp_seen"), "hidden: the counter's map is unchanged");
            chain.alone(1, ssh);
            assertEquals(before + 1, chain.counter(1, "tcp_seen"), "alone, it counts that packet");
        }
    }

    @Test
    void programThatOnlyReadsItsConfigurationNeedsNoTraffic() {
        ClashReport report = check(sshDrop, configReader);
        assertEquals(List.of(), report.of(FindingClass.SEMANTIC_OVERLAP), () -> lines(report));
        assertEquals(List.of(), report.of(FindingClass.CHAIN_ORDER), () -> lines(report));
    }

    @Test
    void ringBufferRecordsAndGlobalCountersAreMapWrites() {
        for (CheckedPackage later : List.of(tcpLogger, bssCounter)) {
            Finding f = only(check(sshDrop, later), FindingClass.SEMANTIC_OVERLAP);
            assertEquals(List.of("IPv4 TCP dst port 22"), traffic(f), later.name());
        }
    }

    @Test
    void tcMetadataOfTheHiddenTrafficIsNeededOtherMetadataIsNot() {
        Finding f = only(check(tcSshShot, tcMarkTcp), FindingClass.SEMANTIC_OVERLAP);
        assertEquals(List.of("IPv4 TCP dst port 22"), traffic(f));
        ClashReport other = check(tcSshShot, tcMarkUdp);
        assertEquals(List.of(), other.findings(), () -> lines(other));
    }

    // ---------------------------------------------------------------------------- write conflicts (14.3)

    @Test
    void twoProgramsSettingTheTtlLoseTheFirstValue() {
        Finding f = only(check(ttlOne, ttl64), FindingClass.WRITE_CONFLICT);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(Set.of("ttl_one", "ttl_64"), programs(f));
        assertTrue(f.message().contains("TTL") && f.message().indexOf("ttl_one") < f.message().indexOf("ttl_64")
                && f.message().contains("ttl_64 (ttl_64.o)'s write wins"), f.message());
        assertTrue(f.fix().contains("install only one"), f.fix());
        byte[] in = KernelChain.frame(17, 53);
        try (KernelChain chain = new KernelChain(ttlOne, ttl64)) {
            assertEquals(1, chain.alone(0, in).data()[TTL]);
            TestRun.Result out = chain.run(in);
            assertEquals(XDP_PASS, out.returnValue());
            assertEquals(99, out.data()[TTL], "the later write wins");
        }
    }

    @Test
    void twoDestinationRewritesConflictOnTheAddress() {
        Finding f = only(check(dstA, dstB), FindingClass.WRITE_CONFLICT);
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.message().contains("IPv4 dst"), f.message());
        try (KernelChain chain = new KernelChain(dstA, dstB)) {
            byte[] out = chain.run(KernelChain.frame(6, 80)).data();
            assertEquals(0x0a000002, ByteBuffer.wrap(out).getInt(DST), "dst_a's address is lost");
        }
    }

    @Test
    void rewritesOfDifferentFieldsAreCompatible() {
        ClashReport report = check(dstA, srcOnly);
        assertEquals(List.of(), report.findings().stream().filter(f -> f.findingClass() != FindingClass.EXCLUSIVE_HOOK)
                .toList(), () -> lines(report));
        try (KernelChain chain = new KernelChain(dstA, srcOnly)) {
            ByteBuffer out = ByteBuffer.wrap(chain.run(KernelChain.frame(6, 80)).data());
            assertEquals(0x0a000001, out.getInt(DST));
            assertEquals(0x0a000003, out.getInt(SRC), "both rewrites survive");
        }
    }

    @Test
    void checksumWrittenByBothIsAWarningNamingTheChecksum() {
        Finding f = only(check(tosCsum, ttlCsum), FindingClass.WRITE_CONFLICT);
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.message().contains("IPv4 checksum") && !f.message().contains("TTL"), f.message());
        assertTrue(f.fix().contains("incrementally"), f.fix());
        try (KernelChain chain = new KernelChain(tosCsum, ttlCsum)) {
            byte[] out = chain.run(KernelChain.frame(6, 80)).data();
            assertEquals(0x10, out[TOS]);
            assertEquals(7, out[TTL]);
            assertEquals(0x2222, ByteBuffer.wrap(out).getShort(CHECK) & 0xffff, "the later checksum wins");
        }
    }

    @Test
    void rewritesOfDisjointTrafficAreCompatible() {
        ClashReport report = check(mac22, mac53);
        assertEquals(List.of(), report.of(FindingClass.WRITE_CONFLICT), () -> lines(report));
        try (KernelChain chain = new KernelChain(mac22, mac53)) {
            assertEquals(0x22, chain.run(KernelChain.frame(6, 22)).data()[5]);
            assertEquals(0x53, chain.run(KernelChain.frame(17, 53)).data()[5]);
        }
    }

    @Test
    void aRewriteThatEndsTheChainIsNoWriteConflict() {
        ClashReport report = check(dstTx, dstB);
        assertEquals(List.of(), report.of(FindingClass.WRITE_CONFLICT), () -> lines(report));
        try (KernelChain chain = new KernelChain(dstTx, dstB)) {
            byte[] out = chain.run(KernelChain.frame(6, 80)).data();
            assertEquals(0x0a000009, ByteBuffer.wrap(out).getInt(DST), "dst_b never runs");
        }
    }

    @Test
    void twoMarksOnATcChainAreAWarning() {
        Finding f = only(check(markA, markB), FindingClass.WRITE_CONFLICT);
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.message().contains("skb->mark") && f.message().contains("tc ingress"), f.message());
        ClashReport ends = check(markOk, markB);
        assertEquals(List.of(), ends.of(FindingClass.WRITE_CONFLICT), () -> lines(ends));
    }

    @Test
    void storeBytesHelperAndDirectStoreConflictOnTc() {
        Finding f = only(check(tcStoreDst, tcDirectDst), FindingClass.WRITE_CONFLICT);
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.message().contains("IPv4 dst"), f.message());
    }

    @Test
    void compatibleSetsFromTheCatalogStayQuiet() throws Exception {
        ClashReport report = check(Material.example("xdp_counter.o"), Material.example("xdp_firewall.o"));
        assertEquals(List.of(), report.of(FindingClass.WRITE_CONFLICT), () -> lines(report));
        assertEquals(List.of(), report.of(FindingClass.SEMANTIC_OVERLAP), () -> lines(report));
    }

    // ------------------------------------------------------------------------------------------- material

    private static CheckedPackage xdp(String name, String body) throws Exception {
        return Material.compile(work, name, Material.HEADERS + body.replace("PROG", name));
    }

    private static CheckedPackage tc(String name, String body) throws Exception {
        return Material.compile(work, name, Material.HEADERS + "SEC(\"tc\")\nint " + name
                + "(struct __sk_buff *skb)\n{\n" + body + "}\n");
    }

    private static String counter(String map) {
        return """
                struct {
                	__uint(type, BPF_MAP_TYPE_ARRAY);
                	__uint(max_entries, 1);
                	__type(key, __u32);
                	__type(value, __u64);
                } NAME SEC(".maps");

                """.replace("NAME", map);
    }

    /** An XDP program PROG counting IPv4 packets of {@code proto} in array {@code map}; it passes everything. */
    private static String protocolCounter(String proto, String map) {
        return counter(map) + ipv4("""
                	if (ip->protocol == PROTO) {
                		__u32 k = 0;
                		__u64 *v = bpf_map_lookup_elem(&NAME, &k);
                		if (v)
                			__sync_fetch_and_add(v, 1);
                	}
                	return XDP_PASS;
                """.replace("PROTO", proto).replace("NAME", map));
    }

    /** The start of an XDP program PROG: its Ethernet and IPv4 header pointers. */
    private static final String XDP_START = """
            SEC("xdp")
            int PROG(struct xdp_md *ctx)
            {
            	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
            	struct ethhdr *eth = data;
            	struct iphdr *ip = data + sizeof(*eth);
            """;

    /** An XDP program PROG running {@code body} on IPv4 frames with a whole IPv4 header (others pass). */
    private static String ipv4(String body) {
        return XDP_START + """
                	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
                		return XDP_PASS;
                """ + body + "}\n";
    }

    /** An XDP program PROG running {@code body} on IPv4 frames of {@code proto} ({@code l4} its header). */
    private static String l4(String proto, String header, String body) {
        return XDP_START + """
                	HEADER *l4 = (void *)(ip + 1);
                	if ((void *)(l4 + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != PROTO)
                		return XDP_PASS;
                """.replace("HEADER", header).replace("PROTO", proto) + body + "}\n";
    }

    /** A tc body running {@code body} on IPv4 frames with a whole IPv4 header (others go on). */
    private static String tcIpv4(String body) {
        return """
                	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
                	struct ethhdr *eth = data;
                	struct iphdr *ip = data + sizeof(*eth);
                	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
                		return TC_ACT_UNSPEC;
                """ + body;
    }

    private static ClashReport check(CheckedPackage... packages) {
        return ClashDetector.check(List.of(packages), HostView.none());
    }

    private static String lines(ClashReport report) {
        return String.join("\n", report.lines());
    }

    private static Finding only(ClashReport report, FindingClass kind) {
        List<Finding> found = report.of(kind);
        assertEquals(1, found.size(), () -> lines(report));
        return found.getFirst();
    }

    private static List<String> traffic(Finding f) {
        return f.subjects(Subject.Traffic.class).stream().map(Subject.Traffic::description).toList();
    }

    private static Set<String> programs(Finding f) {
        return f.subjects(Subject.ProgramRef.class).stream().map(Subject.ProgramRef::name).collect(Collectors.toSet());
    }
}
