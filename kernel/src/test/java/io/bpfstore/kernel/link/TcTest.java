package io.bpfstore.kernel.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.AttachedPrograms;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.LinkTarget;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.ProgramSpec;
import io.bpfstore.kernel.UpdateMode;
import io.bpfstore.kernel.testing.Leftovers;
import io.bpfstore.kernel.testing.LoadedObject;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.PinDir;
import io.bpfstore.kernel.testing.TestNetwork;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.bpfstore.kernel.testing.TestCode.returning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tc programs on a veth pair between two test namespaces, attached both ways (tcx links and legacy clsact
 * filters), checked with real traffic: the flow accountant must count exactly the bytes sent, the port
 * filter must drop exactly the datagrams sent to its port. tc and bpftool (inside the namespace) and the
 * kernel's tcx query are the oracles for what is attached and in which order.
 */
class TcTest {
    @RegisterExtension
    static final Leftovers LEFT = new Leftovers();

    /** The two ways to attach a tc program. */
    enum Way {
        TCX, LEGACY;

        Attachment attach(BpfProgram program, TestNetwork net, Netns netns, String device, Direction direction) {
            return LEFT.attached(switch (this) {
                case TCX -> Tcx.attach(program, TcxOptions.of(Interface.named(device), direction).inNetns(netns));
                case LEGACY -> TcLegacy.attach(program, TcOptions.of(Interface.named(device), direction).inNetns(netns));
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void flowAccountantCountsTheBytesOfAFlowExactly(Way way) throws Exception {
        int datagrams = 17;
        int payload = 300;
        int sourcePort = 40123;
        int destinationPort = 5353;
        try (TestNetwork net = TestNetwork.create(); LoadedObject object = LoadedObject.load("tc_flow_bytes")) {
            LEFT.programs(object.programIds());
            try (Attachment attachment = way.attach(object.program("tc_flow_account"), net, net.b(), "veth-b", Direction.EGRESS)) {
                InetAddress a = InetAddress.getByName(net.ipv4A());
                InetAddress b = InetAddress.getByName(net.ipv4B());
                net.b().run(() -> {
                    try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress(b, sourcePort))) {
                        for (int i = 0; i < datagrams; i++) {
                            sender.send(new DatagramPacket(new byte[payload], payload, a, destinationPort));
                        }
                    }
                    return null;
                });
                // struct flow_key: family, proto, sport, dport (host order), pad, saddr[4], daddr[4] (network order)
                ByteBuffer key = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder()).put((byte) 2).put((byte) 17)
                        .putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) 0);
                key.put(b.getAddress()).put(new byte[12]).put(a.getAddress()).put(new byte[12]);
                byte[] stats = awaitPackets(object.map("flows"), key.array(), datagrams)
                        .orElseThrow(() -> new AssertionError("no flow entry for the datagrams sent (" + way + ")"));
                ByteBuffer s = ByteBuffer.wrap(stats).order(ByteOrder.nativeOrder());
                assertEquals(datagrams, s.getLong(0), "packets of the flow");
                assertEquals((long) datagrams * (14 + 20 + 8 + payload), s.getLong(8), "bytes of the flow (skb->len on egress)");
                assertEquals(1, object.map("flows").keys().stream().filter(k -> k[1] == 17).count(),
                        "only our UDP flow left veth-b");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void portFilterDropsExactlyTheBlockedDatagrams(Way way) throws Exception {
        int count = 9;
        int blocked = 7777;
        try (TestNetwork net = TestNetwork.create(); LoadedObject object = LoadedObject.load("tc_port_drop")) {
            LEFT.programs(object.programIds());
            byte[] key = ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) blocked).array();
            object.map("blocked_ports").update(key, new byte[8], UpdateMode.NO_EXIST);
            try (Attachment attachment = way.attach(object.program("tc_drop_port"), net, net.a(), "veth-a", Direction.INGRESS)) {
                if (attachment instanceof TcFilterAttachment filter) { // kernel-chosen priority and handle, as tc sees them
                    JsonNode tc = new ObjectMapper().readTree(net.exec(net.nameA(), "tc", "-j", "filter", "show", "dev",
                            "veth-a", "ingress"));
                    JsonNode ours = null;
                    for (JsonNode f : tc) {
                        if (f.has("options")) {
                            ours = f;
                        }
                    }
                    assertTrue(ours != null, tc.toString());
                    assertEquals(filter.priority(), ours.get("pref").asInt(), tc.toString());
                    assertEquals("0x" + Integer.toHexString(filter.handle()), ours.get("options").get("handle").asText());
                }
                assertEquals(0, net.udpFromBToA(blocked, count), "datagrams to the blocked port arrived");
                assertEquals(count, net.udpFromBToA(blocked + 1, count), "datagrams to another port were lost");
            }
            assertEquals(count, ByteBuffer.wrap(object.map("blocked_ports").lookup(key).orElseThrow())
                    .order(ByteOrder.nativeOrder()).getLong(), "drop counter of the blocked port");
            assertEquals(count, net.udpFromBToA(blocked, count), "after close the port is open again");
        }
    }

    @Test
    void legacyFilterMatchesWhatTcAndBpftoolShowAndLeavesNothingBehind() throws Exception {
        try (TestNetwork net = TestNetwork.create();
             BpfProgram cls = BpfProgram.load(ProgramSpec.of("bst_tc_ok", ProgramType.SCHED_CLS, returning(0)))) {
            LEFT.programs(List.of(cls.id()));
            TcOptions options = new TcOptions(Interface.named("veth-a"), net.a(), Direction.INGRESS, 49, 0x2a, "bst-filter");
            try (TcFilterAttachment filter = TcLegacy.attach(cls, options)) {
                assertTrue(filter.createdQdisc());
                assertEquals(49, filter.priority());
                assertEquals(0x2a, filter.handle());
                JsonNode tc = new ObjectMapper().readTree(net.exec(net.nameA(), "tc", "-j", "filter", "show", "dev", "veth-a", "ingress"));
                JsonNode withOptions = null;
                for (JsonNode f : tc) {
                    if (f.has("options")) {
                        withOptions = f;
                    }
                }
                assertTrue(withOptions != null, tc.toString());
                assertEquals("bpf", withOptions.get("kind").asText());
                assertEquals(49, withOptions.get("pref").asInt());
                assertEquals("all", withOptions.get("protocol").asText());
                assertEquals("0x2a", withOptions.get("options").get("handle").asText());
                assertTrue(withOptions.get("options").get("bpf_name").asText().startsWith("bst-filter"), tc.toString());
                assertTrue(withOptions.get("options").get("direct-action").asBoolean(), tc.toString());
                assertEquals(cls.id(), withOptions.get("options").get("prog").get("id").asInt(), tc.toString());

                JsonNode bpftool = new ObjectMapper().readTree(net.exec(net.nameA(), "bpftool", "--json", "net", "show"))
                        .get(0).get("tc");
                assertEquals(1, bpftool.size(), bpftool.toString());
                assertEquals("clsact/ingress", bpftool.get(0).get("kind").asText());
                assertEquals(cls.id(), bpftool.get(0).get("id").asInt());

                BpfException taken = assertThrows(BpfException.class, () -> TcLegacy.attach(cls, options));
                assertEquals("EEXIST", taken.errno().orElseThrow().name(), taken.getMessage());
                assertTrue(taken.getMessage().contains("a filter with priority 49 and handle 0x2a already exists"),
                        taken.getMessage());
            }
            assertFalse(net.exec(net.nameA(), "tc", "qdisc", "show", "dev", "veth-a").contains("clsact"),
                    "the clsact qdisc we created goes with the last filter");
            assertEquals("[]", net.exec(net.nameA(), "tc", "-j", "filter", "show", "dev", "veth-a", "ingress").strip());
        }
    }

    @Test
    void tcxAnchorsOrderProgramsAsTheKernelReports() throws Exception {
        try (TestNetwork net = TestNetwork.create();
             BpfProgram one = tcxProgram("bst_tcx_one");
             BpfProgram two = tcxProgram("bst_tcx_two");
             BpfProgram three = tcxProgram("bst_tcx_three");
             BpfProgram four = tcxProgram("bst_tcx_four")) {
            LEFT.programs(List.of(one.id(), two.id(), three.id(), four.id()));
            TcxOptions ingress = TcxOptions.of(Interface.named("veth-a"), Direction.INGRESS).inNetns(net.a());
            try (BpfLink l1 = LEFT.attached(Tcx.attach(one, ingress));
                 BpfLink l2 = LEFT.attached(Tcx.attach(two, ingress.at(Anchor.before(l1))));
                 BpfLink l3 = LEFT.attached(Tcx.attach(three, ingress.at(Anchor.after(two))));
                 BpfLink l4 = LEFT.attached(Tcx.attach(four, ingress.at(Anchor.first())))) {
                AttachedPrograms order = Tcx.query(Interface.named("veth-a"), net.a(), Direction.INGRESS);
                assertEquals(List.of(four.id(), two.id(), three.id(), one.id()), order.programIds());
                assertEquals(List.of(l4.id(), l2.id(), l3.id(), l1.id()), order.linkIds());
                for (BpfLink link : List.of(l1, l2, l3, l4)) {
                    JsonNode theirs = Oracles.bpftool("link", "show", "id", Integer.toString(link.id()));
                    assertEquals(link.info().programId(), theirs.get("prog_id").asInt());
                    assertEquals(AttachType.TCX_INGRESS.number(), ((LinkTarget.Tcx) link.info().target()).attachType());
                }
                // an outdated revision is refused and says so
                long revision = order.revision();
                try (BpfProgram five = tcxProgram("bst_tcx_five")) {
                    LEFT.programs(List.of(five.id()));
                    BpfException stale = assertThrows(BpfException.class,
                            () -> Tcx.attach(five, ingress.expectingRevision(revision - 1)));
                    assertTrue(stale.getMessage().contains("the hook changed since revision " + (revision - 1)
                            + " (now " + revision + ")"), stale.getMessage());
                    BpfException missing = assertThrows(BpfException.class,
                            () -> Tcx.attach(five, ingress.at(Anchor.afterProgramId(five.id()))));
                    assertTrue(missing.getMessage().contains("is not attached to this hook"), missing.getMessage());
                    try (BpfLink l5 = LEFT.attached(Tcx.attach(five, ingress.at(Anchor.beforeLinkId(l1.id()))
                            .expectingRevision(revision)))) {
                        assertEquals(List.of(four.id(), two.id(), three.id(), five.id(), one.id()),
                                Tcx.query(Interface.named("veth-a"), net.a(), Direction.INGRESS).programIds());
                    }
                }
                l2.close();
                assertEquals(List.of(four.id(), three.id(), one.id()),
                        Tcx.query(Interface.named("veth-a"), net.a(), Direction.INGRESS).programIds());
                // a pinned link outlives its handle until the reopened link is detached
                try (PinDir pins = PinDir.create("tcx")) {
                    l3.pin(pins.resolve("three"));
                    l3.close();
                    assertEquals(List.of(four.id(), three.id(), one.id()),
                            Tcx.query(Interface.named("veth-a"), net.a(), Direction.INGRESS).programIds());
                    try (BpfLink reopened = BpfLink.openPinned(pins.resolve("three"))) {
                        assertEquals(l3.id(), reopened.id());
                        reopened.detach();
                    }
                    assertEquals(List.of(four.id(), one.id()),
                            Tcx.query(Interface.named("veth-a"), net.a(), Direction.INGRESS).programIds());
                }
            }
            assertEquals(List.of(), Tcx.query(Interface.named("veth-a"), net.a(), Direction.INGRESS).programIds());
        }
    }

    /**
     * The flow's entry once it counts {@code packets} packets, or as it is after two seconds. The first datagrams
     * wait in the neighbour queue until ARP is answered and leave veth-b after {@code send} has returned.
     */
    private static Optional<byte[]> awaitPackets(BpfMap flows, byte[] key, long packets) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        Optional<byte[]> entry = flows.lookup(key);
        while (System.nanoTime() < deadline
                && entry.map(v -> ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong(0) < packets).orElse(true)) {
            Thread.sleep(10);
            entry = flows.lookup(key);
        }
        return entry;
    }

    private static BpfProgram tcxProgram(String name) {
        return BpfProgram.load(ProgramSpec.of(name, ProgramType.SCHED_CLS, returning(-1))
                .withExpectedAttachType(AttachType.TCX_INGRESS));
    }
}
