package io.bpfstore.kernel.link;

import static io.bpfstore.kernel.testing.TestCode.returning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.LinkTarget;
import io.bpfstore.kernel.Pins;
import io.bpfstore.kernel.ProgramSpec;
import io.bpfstore.kernel.UpdateMode;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.testing.Counters;
import io.bpfstore.kernel.testing.Leftovers;
import io.bpfstore.kernel.testing.LoadedObject;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.PinDir;
import io.bpfstore.kernel.testing.TestNetwork;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * XDP on a veth pair between two test namespaces, with real traffic: pings and UDP datagrams sent from B
 * to A, counted and dropped by the example programs on veth-a. bpftool net show (run inside namespace A) is
 * the oracle for what is attached; the traffic itself for what the programs do.
 */
class XdpTest {
    private static final int ICMP = 1;
    private static final int PINGS = 25;
    private static final int PAYLOAD = 56;
    /** Ethernet (14) + IPv4 (20) + ICMP (8) + payload: what XDP sees of one echo request. */
    private static final int FRAME = 14 + 20 + 8 + PAYLOAD;
    @RegisterExtension
    static final Leftovers LEFT = new Leftovers();

    private static JsonNode netShow(TestNetwork net, String ns) throws Exception {
        return new ObjectMapper().readTree(net.exec(ns, "bpftool", "--json", "net", "show")).get(0).get("xdp");
    }

    @Test
    void counterSeesExactlyThePingsSentThroughALink() throws Exception {
        try (TestNetwork net = TestNetwork.create(); LoadedObject object = LoadedObject.load("xdp_counter")) {
            LEFT.programs(object.programIds());
            BpfProgram program = object.program("xdp_count");
            BpfMap counters = object.map("counters");
            int ifindex = new ObjectMapper().readTree(net.exec(net.nameA(), "ip", "-j", "link", "show", "veth-a"))
                    .get(0).get("ifindex").asInt();
            XdpOptions options = XdpOptions.of(Interface.index(ifindex)).inNetns(net.a()).withMode(XdpMode.NATIVE);
            try (Attachment attachment = Xdp.attach(program, options)) {
                BpfLink link = assertInstanceOf(BpfLink.class, attachment);
                LEFT.link(link.id());
                JsonNode theirs = netShow(net, net.nameA());
                assertEquals(1, theirs.size(), theirs.toString());
                assertEquals("veth-a", theirs.get(0).get("devname").asText());
                assertEquals("driver", theirs.get(0).get("mode").asText());
                assertEquals(program.id(), theirs.get(0).get("id").asInt());
                assertEquals(new LinkTarget.Xdp(theirs.get(0).get("ifindex").asInt()), link.info().target());

                net.ping(net.nameB(), net.ipv4A(), PINGS, PAYLOAD);
                assertEquals(PINGS, Counters.sum(counters, Counters.u32(ICMP), 0), "ICMP packets XDP saw on veth-a");
                assertEquals((long) PINGS * FRAME, Counters.sum(counters, Counters.u32(ICMP), 8), "ICMP bytes");

                // UDP over IPv6: the counter's key is the upper-layer protocol behind the IPv6 header
                InetAddress a6 = InetAddress.getByName(net.ipv6A());
                int datagrams = 11;
                net.b().run(() -> {
                    try (DatagramSocket sender = new DatagramSocket()) {
                        for (int i = 0; i < datagrams; i++) {
                            sender.send(new DatagramPacket(new byte[20], 20, a6, 4444));
                        }
                    }
                    return null;
                });
                Thread.sleep(100);
                assertEquals(datagrams, Counters.sum(counters, Counters.u32(17), 0), "UDP/IPv6 datagrams XDP saw");
                assertEquals((long) datagrams * (14 + 40 + 8 + 20), Counters.sum(counters, Counters.u32(17), 8),
                        "UDP/IPv6 bytes");
            }
            assertEquals(0, netShow(net, net.nameA()).size(), "closing the link detaches the program");
            net.ping(net.nameB(), net.ipv4A(), 3, PAYLOAD);
            assertEquals(PINGS, Counters.sum(counters, Counters.u32(ICMP), 0), "nothing counted after detach");
        }
    }

    @Test
    void firewallDropsADeniedPortAndPassesOthers() throws Exception {
        try (TestNetwork net = TestNetwork.create(); LoadedObject object = LoadedObject.load("xdp_firewall")) {
            LEFT.programs(object.programIds());
            int denied = 9999;
            int allowed = 9998;
            int count = 12;
            // struct port_key { u8 proto; u8 pad; u16 port (host order) } -> u64 hits
            byte[] key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).put((byte) 17).put((byte) 0)
                    .putShort((short) denied).array();
            object.map("deny_dst_port").update(key, new byte[8], UpdateMode.NO_EXIST);
            try (Attachment attachment = Xdp.attach(object.program("xdp_firewall"),
                    XdpOptions.of(Interface.named("veth-a")).inNetns(net.a()))) {
                LEFT.link(((BpfLink) attachment).id());
                assertEquals(0, net.udpFromBToA(denied, count), "datagrams to the denied port arrive");
                assertEquals(count, net.udpFromBToA(allowed, count), "datagrams to another port are lost");

                // deny B's address: B's pings get no reply, and each echo request is one drop
                byte[] source = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(32)
                        .put(InetAddress.getByName(net.ipv4B()).getAddress()).array();
                object.map("deny_src_v4").update(source, new byte[8], UpdateMode.NO_EXIST);
                int pings = 7;
                assertThrows(AssertionError.class, () -> net.ping(net.nameB(), net.ipv4A(), pings, PAYLOAD),
                        "a ping from a denied address got a reply");
                assertEquals(pings, ByteBuffer.wrap(object.map("deny_src_v4").lookup(source).orElseThrow())
                        .order(ByteOrder.nativeOrder()).getLong(), "per-prefix drop counter");
                assertEquals(pings, Counters.sum(object.map("fw_stats"), Counters.u32(1), 0), "FW_DROP_SRC_V4 verdicts");
            }
            long hits = ByteBuffer.wrap(object.map("deny_dst_port").lookup(key).orElseThrow())
                    .order(ByteOrder.nativeOrder()).getLong();
            assertEquals(count, hits, "per-rule drop counter");
            assertEquals(count, Counters.sum(object.map("fw_stats"), Counters.u32(3), 0), "FW_DROP_DST_PORT verdicts");
        }
    }

    @Test
    void linkIsPinnedReopenedUpdatedAndDetached() throws Exception {
        try (TestNetwork net = TestNetwork.create();
             BpfProgram pass = BpfProgram.load(ProgramSpec.of("bst_xdp_pass", ProgramType.XDP, returning(2)));
             BpfProgram drop = BpfProgram.load(ProgramSpec.of("bst_xdp_drop", ProgramType.XDP, returning(1)));
             PinDir pins = PinDir.create("xdp-link")) {
            LEFT.programs(List.of(pass.id(), drop.id()));
            int linkId;
            try (BpfLink link = (BpfLink) Xdp.attach(pass, XdpOptions.of(Interface.named("veth-a")).inNetns(net.a()))) {
                linkId = link.id();
                LEFT.link(linkId);
                link.pin(pins.resolve("xdp"));
            }
            assertEquals(pass.id(), netShow(net, net.nameA()).get(0).get("id").asInt(), "the pin keeps the link");
            net.ping(net.nameB(), net.ipv4A(), 2, PAYLOAD);
            try (BpfLink reopened = BpfLink.openPinned(pins.resolve("xdp"))) {
                assertEquals(linkId, reopened.id());
                reopened.update(pass, drop);
                assertEquals(drop.id(), Oracles.bpftool("link", "show", "id", Integer.toString(linkId)).get("prog_id").asInt());
                BpfException stale = assertThrows(BpfException.class, () -> reopened.update(pass, drop));
                assertEquals(Errno.EPERM.number(), stale.errnoNumber(), "pass is no longer the program: " + stale.getMessage());
                assertThrows(AssertionError.class, () -> net.ping(net.nameB(), net.ipv4A(), 2, PAYLOAD),
                        "XDP_DROP on veth-a: no ping gets through");
                reopened.detach();
                assertEquals(0, netShow(net, net.nameA()).size(), "a detached link holds nothing");
                net.ping(net.nameB(), net.ipv4A(), 2, PAYLOAD);
            }
            assertTrue(Pins.unpin(pins.resolve("xdp")));
        }
    }

    @Test
    void busyInterfaceNamesTheHolderAndNetlinkAttachmentsAreDetachable() throws Exception {
        try (TestNetwork net = TestNetwork.create();
             BpfProgram first = BpfProgram.load(ProgramSpec.of("bst_xdp_first", ProgramType.XDP, returning(2)));
             BpfProgram second = BpfProgram.load(ProgramSpec.of("bst_xdp_second", ProgramType.XDP, returning(2)))) {
            LEFT.programs(List.of(first.id(), second.id()));
            XdpOptions options = XdpOptions.of(Interface.named("veth-a")).inNetns(net.a()).withMode(XdpMode.NATIVE);
            try (Attachment link = Xdp.attach(first, options)) {
                LEFT.link(((BpfLink) link).id());
                BpfException busy = assertThrows(BpfException.class, () -> Xdp.attach(second, options));
                assertEquals("EBUSY", busy.errno().orElseThrow().name(), busy.getMessage());
                assertTrue(busy.getMessage().startsWith("attach xdp program \"bst_xdp_second\""), busy.getMessage());
                assertTrue(busy.getMessage().contains("veth-a (netns " + net.nameA() + ")"), busy.getMessage());
                assertTrue(busy.getMessage().contains("program " + first.id() + " (\"bst_xdp_first\") already runs on veth-a"
                        + " in native mode, attached through link " + ((BpfLink) link).id()), busy.getMessage());
            }

            // Legacy netlink, generic mode: "someone else" attaches with ip link; Xdp.detach removes it.
            net.exec(net.nameA(), "bpftool", "net", "attach", "xdpgeneric", "id", Integer.toString(first.id()), "dev", "veth-a");
            assertEquals("generic", netShow(net, net.nameA()).get(0).get("mode").asText());
            assertEquals(List.of(first.id()), Xdp.detach(Interface.named("veth-a"), net.a(), XdpMode.AUTO));
            assertEquals(0, netShow(net, net.nameA()).size());

            // Our own netlink attachment, then an atomic netlink replace, then close removes only ours.
            XdpOptions legacy = options.withMode(XdpMode.GENERIC).withMethod(XdpOptions.Method.NETLINK);
            try (Attachment attached = Xdp.attach(first, legacy)) {
                XdpNetlinkAttachment netlink = assertInstanceOf(XdpNetlinkAttachment.class, attached);
                assertEquals(XdpMode.GENERIC, netlink.mode());
                assertEquals(first.id(), netShow(net, net.nameA()).get(0).get("id").asInt());
                BpfException busy = assertThrows(BpfException.class, () -> Xdp.attach(second, legacy));
                assertEquals("EBUSY", busy.errno().orElseThrow().name(), busy.getMessage());
                assertTrue(busy.getMessage().contains("attached through netlink"), busy.getMessage());
                assertTrue(busy.getMessage().contains("(kernel: \""), "the kernel's extended ack is kept: " + busy.getMessage());
                try (Attachment replaced = Xdp.attach(second, legacy.replacing(first))) {
                    assertEquals(second.id(), netShow(net, net.nameA()).get(0).get("id").asInt());
                    attached.close(); // no longer ours: must leave the successor alone
                    assertEquals(second.id(), netShow(net, net.nameA()).get(0).get("id").asInt());
                }
                assertEquals(0, netShow(net, net.nameA()).size(), "closing the replacing attachment detaches it");
            }
        }
    }

    @Test
    void autoModeFallsBackToGenericWhereTheDriverHasNoNativeXdp() throws Exception {
        try (TestNetwork net = TestNetwork.create();
             BpfProgram pass = BpfProgram.load(ProgramSpec.of("bst_xdp_auto", ProgramType.XDP, returning(2)))) {
            LEFT.programs(List.of(pass.id()));
            net.exec(net.nameA(), "ip", "link", "add", "bst-d0", "type", "bridge"); // a bridge has no native XDP
            XdpOptions dummy = XdpOptions.of(Interface.named("bst-d0")).inNetns(net.a());
            BpfException nativeRefused = assertThrows(BpfException.class, () -> Xdp.attach(pass, dummy.withMode(XdpMode.NATIVE)));
            assertEquals("EOPNOTSUPP", nativeRefused.errno().orElseThrow().name(), nativeRefused.getMessage());
            assertTrue(nativeRefused.getMessage().endsWith("the driver of bst-d0 has no native XDP; use generic mode"),
                    nativeRefused.getMessage());
            try (Attachment auto = Xdp.attach(pass, dummy)) {
                LEFT.link(((BpfLink) auto).id());
                JsonNode theirs = netShow(net, net.nameA());
                assertEquals(1, theirs.size(), theirs.toString());
                assertEquals("bst-d0", theirs.get(0).get("devname").asText());
                assertEquals("generic", theirs.get(0).get("mode").asText());
            }
            try (Attachment legacyAuto = Xdp.attach(pass, dummy.withMethod(XdpOptions.Method.NETLINK))) {
                assertEquals(XdpMode.GENERIC, ((XdpNetlinkAttachment) legacyAuto).mode());
            }
            assertEquals(0, netShow(net, net.nameA()).size());
        }
    }

    @Test
    void wrongProgramTypeAndMissingInterfaceAreNamed() throws Exception {
        try (TestNetwork net = TestNetwork.create();
             BpfProgram filter = BpfProgram.load(ProgramSpec.of("bst_sock", ProgramType.SOCKET_FILTER, returning(0)));
             BpfProgram xdp = BpfProgram.load(ProgramSpec.of("bst_xdp_x", ProgramType.XDP, returning(2)))) {
            LEFT.programs(List.of(filter.id(), xdp.id()));
            BpfException wrongType = assertThrows(BpfException.class,
                    () -> Xdp.attach(filter, XdpOptions.of(Interface.named("veth-a")).inNetns(net.a())));
            assertTrue(wrongType.getMessage().contains("this hook runs xdp programs, not socket_filter programs"),
                    wrongType.getMessage());
            BpfException missing = assertThrows(BpfException.class,
                    () -> Xdp.attach(xdp, XdpOptions.of(Interface.named("eth0")).inNetns(net.a())));
            assertEquals("ENODEV", missing.errno().orElseThrow().name());
            assertTrue(missing.getMessage().contains("there is no interface eth0 in this network namespace"), missing.getMessage());
        }
    }
}
