package io.bpfstore.testsupport;

/**
 * BPF C sources that several modules' tests compile with {@link BpfClang}, kept in one place so that the analysis,
 * store and CLI tests of the same rule exercise the same program.
 */
public final class TestPrograms {
    /**
     * A tracepoint program named {@code poke} that calls {@code bpf_probe_write_user} (on line 8, which tests of
     * the permission explanation quote): it needs the {@code writes-process-memory} permission, which publishing
     * refuses unless declared.
     */
    public static final String PROBE_WRITE_USER = """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>

            SEC("tracepoint/syscalls/sys_enter_write")
            int poke(void *ctx)
            {
            	char msg[4] = "hi!";
            	bpf_probe_write_user((void *)0x1000, msg, sizeof(msg));
            	return 0;
            }
            char LICENSE[] SEC("license") = "GPL";
            """;

    /**
     * An XDP program {@code xdp_udp_drop} that drops IPv4 UDP datagrams to the port in its {@code const volatile __u16
     * blocked_port} (0, the default, drops nothing), for the tests of setting globals before load; it also has a
     * string global, {@code const volatile char label[8]} ("none").
     */
    public static final String UDP_PORT_DROP = """
            #include <linux/bpf.h>
            #include <linux/if_ether.h>
            #include <linux/ip.h>
            #include <linux/udp.h>
            #include <bpf/bpf_helpers.h>
            #include <bpf/bpf_endian.h>
            char LICENSE[] SEC("license") = "GPL";
            const volatile __u16 blocked_port = 0;
            const volatile char label[8] = "none";
            SEC("xdp") int xdp_udp_drop(struct xdp_md *ctx)
            {
            	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
            	struct ethhdr *eth = data;
            	struct iphdr *ip = (void *)(eth + 1);
            	struct udphdr *udp = (void *)(ip + 1);
            	if ((void *)(udp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != 17)
            		return XDP_PASS;
            	return blocked_port && udp->dest == bpf_htons(blocked_port) ? XDP_DROP : XDP_PASS;
            }
            """;

    private TestPrograms() {
    }
}
