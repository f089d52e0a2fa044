package io.bpfstore.kernel.inventory;

import static io.bpfstore.kernel.testing.TestCode.returning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.LinkTarget;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.ProgramSpec;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.kernel.link.Direction;
import io.bpfstore.kernel.netlink.InterfaceDump;
import io.bpfstore.kernel.netlink.TcFilter;
import io.bpfstore.kernel.netlink.XdpAttachment;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.PinDir;
import io.bpfstore.kernel.testing.RequiresRoot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attaches an XDP and a tcx program through links to a veth pair inside a network namespace this test
 * creates (nothing in the root namespace is touched), then compares what we read with bpftool net show
 * run inside that namespace.
 */
@RequiresRoot
class NetworkAttachmentsTest {

    private static int ifindex(String name) {
        return InterfaceDump.read().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no interface " + name)).ifindex();
    }

    @Test
    void xdpAndTcxOnAVethPairInATestNamespace() throws Exception {
        String ns = "bst-test-" + ProcessHandle.current().pid() + "-net";
        Oracles.run(List.of("ip", "netns", "add", ns));
        try {
            Oracles.run(List.of("ip", "-n", ns, "link", "add", "bst0", "type", "veth", "peer", "name", "bst1"));
            Oracles.run(List.of("ip", "-n", ns, "link", "set", "bst0", "up"));
            Oracles.run(List.of("ip", "-n", ns, "link", "set", "bst1", "up"));
            try (BpfProgram xdp = BpfProgram.load(ProgramSpec.of("bst_net_xdp", ProgramType.XDP, returning(2)));
                 BpfProgram tc = BpfProgram.load(ProgramSpec.of("bst_net_tcx", ProgramType.SCHED_CLS,
                         returning(-1)).withExpectedAttachType(AttachType.TCX_INGRESS));
                 BpfProgram tcLegacy = BpfProgram.load(ProgramSpec.of("bst_net_cls", ProgramType.SCHED_CLS,
                         returning(0)))) {
                Netns.named(ns).run(() -> {
                    int bst0 = ifindex("bst0");
                    int bst1 = ifindex("bst1");
                    try (BpfLink xdpLink = BpfLink.create(xdp, bst0, AttachType.XDP, 0);
                         BpfLink tcxLink = BpfLink.create(tc, bst1, AttachType.TCX_INGRESS, 0)) {
                        assertEquals(new LinkTarget.Xdp(bst0), xdpLink.info().target());
                        assertEquals(new LinkTarget.Tcx(bst1, AttachType.TCX_INGRESS.number()), tcxLink.info().target());

                        NetworkAttachments found = NetworkAttachments.scan();
                        assertEquals(List.of(new XdpAttachment(bst0, "bst0", XdpAttachment.Mode.DRIVER, xdp.id())), found.xdp());
                        assertEquals(List.of(new TcxAttachment(bst1, "bst1", AttachType.TCX_INGRESS, tc.id(), tcxLink.id())),
                                found.tcx());

                        JsonNode net = new ObjectMapper().readTree(Oracles.run(List.of("ip", "netns", "exec", ns,
                                "bpftool", "--json", "net", "show")));
                        JsonNode theirXdp = net.get(0).get("xdp");
                        assertEquals(1, theirXdp.size(), net.toString());
                        assertEquals("bst0", theirXdp.get(0).get("devname").asText());
                        assertEquals(bst0, theirXdp.get(0).get("ifindex").asInt());
                        assertEquals("driver", theirXdp.get(0).get("mode").asText());
                        assertEquals(xdp.id(), theirXdp.get(0).get("id").asInt());
                        JsonNode link = Oracles.bpftool("link", "show", "id", Integer.toString(tcxLink.id()));
                        assertEquals(tc.id(), link.get("prog_id").asInt());
                    }
                    // A legacy tc filter, added by tc itself from our pinned program.
                    try (PinDir pins = PinDir.create("tc")) {
                        Path pin = pins.resolve("cls");
                        tcLegacy.pin(pin);
                        Oracles.run(List.of("tc", "-n", ns, "qdisc", "add", "dev", "bst0", "clsact"));
                        Oracles.run(List.of("tc", "-n", ns, "filter", "add", "dev", "bst0", "egress", "prio", "7",
                                "bpf", "direct-action", "pinned", pin.toString()));
                    }
                    List<TcFilter> filters = NetworkAttachments.scan().tc();
                    assertEquals(1, filters.size(), filters.toString());
                    TcFilter filter = filters.getFirst();
                    assertEquals(new TcFilter(bst0, "bst0", Direction.EGRESS, tcLegacy.id(), filter.name(), 7,
                            filter.handle(), true), filter);
                    JsonNode theirTc = new ObjectMapper().readTree(Oracles.run(List.of("ip", "netns", "exec", ns,
                            "bpftool", "--json", "net", "show"))).get(0).get("tc");
                    assertEquals(1, theirTc.size(), theirTc.toString());
                    assertEquals("bst0", theirTc.get(0).get("devname").asText());
                    assertEquals("clsact/egress", theirTc.get(0).get("kind").asText());
                    assertEquals(tcLegacy.id(), theirTc.get(0).get("id").asInt());
                    assertEquals(theirTc.get(0).get("name").asText(), filter.name());
                    Oracles.run(List.of("tc", "-n", ns, "qdisc", "del", "dev", "bst0", "clsact"));
                    assertTrue(NetworkAttachments.scan().tc().isEmpty(), "removing the qdisc removes the filter");

                    assertTrue(NetworkAttachments.scan().xdp().isEmpty(), "closing the link detaches XDP");
                    assertTrue(NetworkAttachments.scan().tcx().isEmpty(), "closing the link detaches tcx");
                    return null;
                });
            }
        } finally {
            Oracles.run(List.of("ip", "netns", "del", ns));
        }
    }
}
