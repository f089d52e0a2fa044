package io.bpfstore.kernel.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.sections.XdpAction;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.UpdateMode;
import io.bpfstore.kernel.link.Attachment;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.kernel.link.Interface;
import io.bpfstore.kernel.link.Xdp;
import io.bpfstore.kernel.link.XdpOptions;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.testing.Counters;
import io.bpfstore.kernel.testing.Leftovers;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.TestNetwork;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three XDP test programs and the example xdp_counter composed on veth-a (in test namespace A, through an XDP
 * link) and real UDP traffic from namespace B: xdp_counter (priority 5) counts packets per IP protocol, count_all
 * (10) counts every datagram per port, drop_port (20) drops port 7777 and counts
 * its drops, verdict (30, configured to pass) counts what reaches it. The counters in each member's own maps, the
 * datagrams that arrive at sockets in A, and bpftool (net show, link show, prog show) are the oracles. The
 * composition is then swapped twice through the link (drop_port proceeding on DROP too, then removed) and the
 * members' counters must carry on from where they were: their maps are reused, not recreated.
 */
class ComposeTrafficTest {
    @RegisterExtension
    static final Leftovers LEFT = new Leftovers();
    /** drop_port's port, and another one (MemberRunsTest sends the same traffic). */
    static final int DENIED = 7777;
    static final int ALLOWED = 7778;
    /** Datagrams per burst. */
    static final int COUNT = 10;

    private static long port(BpfMap map, int port) {
        return Counters.sum(map, Counters.u32(port), 0);
    }

    /** xdp_counter's packet count for IP protocol 17 (struct counter { u64 packets; u64 bytes; }, per CPU). */
    private static long udp(LoadedObject counter) {
        return Counters.sum(counter.map("counters"), Counters.u32(17), 0);
    }

    private static ComposedProgram compose(List<XdpMember> members) {
        ComposedProgram composed = XdpComposer.compose(members, LoadOptions.defaults());
        LEFT.programs(List.of(composed.program().id()));
        return composed;
    }

    private static Set<Integer> mapIds(int programId) {
        Set<Integer> ids = new HashSet<>();
        Oracles.bpftool("prog", "show", "id", Integer.toString(programId)).get("map_ids").forEach(n -> ids.add(n.asInt()));
        return ids;
    }

    private static Set<Integer> ids(LoadedObject loaded) {
        Set<Integer> ids = new HashSet<>();
        loaded.maps().values().forEach(m -> ids.add(m.id()));
        return ids;
    }

    @Test
    void membersSeeTrafficInPriorityOrderAndKeepStateAcrossRecomposition() throws Exception {
        BpfObject countAll = TestObjects.read("count_all");
        BpfObject dropPort = TestObjects.read("drop_port");
        BpfObject verdict = TestObjects.read("verdict");
        BpfObject example = BpfObject.read(io.bpfstore.kernel.testing.LoadedObject.example("xdp_counter"));
        Set<Integer> memberMaps = new HashSet<>();
        try (TestNetwork net = TestNetwork.create(); LoadedObject counter = LEFT.load(example);
             LoadedObject all = LEFT.load(countAll); LoadedObject drop = LEFT.load(dropPort); LoadedObject seen = LEFT.load(verdict)) {
            seen.map("verdict_cfg").update(Counters.u32(0), ByteBuffer.allocate(4).order(ByteOrder.nativeOrder())
                    .putInt(XdpAction.PASS.number()).array(), UpdateMode.ANY);
            XdpMember protocols = XdpMember.of("example-counter", example, "xdp_count", 5, counter.maps());
            XdpMember first = XdpMember.of("count-all", countAll, "count_all", 10, all.maps());
            XdpMember dropper = XdpMember.of("drop-port", dropPort, "drop_port_prog", 20, drop.maps());
            XdpMember last = XdpMember.of("count-seen", verdict, "verdict_prog", 30, seen.maps());
            memberMaps.addAll(ids(counter));
            memberMaps.addAll(ids(all));
            memberMaps.addAll(ids(drop));
            memberMaps.addAll(ids(seen));
            String bss = all.maps().keySet().stream().filter(n -> n.endsWith(".bss")).findFirst().orElseThrow();

            try (ComposedProgram v1 = compose(List.of(last, dropper, first, protocols));
                 Attachment attachment = Xdp.attach(v1.program(), XdpOptions.of(Interface.named("veth-a"))
                         .inNetns(net.a()).withMethod(XdpOptions.Method.LINK))) {
                BpfLink link = assertInstanceOf(BpfLink.class, attachment);
                LEFT.link(link.id());
                assertEquals(List.of("example-counter", "count-all", "drop-port", "count-seen"), v1.order());
                JsonNode xdp = new ObjectMapper().readTree(net.exec(net.nameA(), "bpftool", "--json", "net", "show"))
                        .get(0).get("xdp");
                assertEquals(1, xdp.size(), xdp.toString());
                assertEquals(v1.program().id(), xdp.get(0).get("id").asInt());
                try (BpfProgram attached = BpfProgram.fromId(xdp.get(0).get("id").asInt())) {
                    assertTrue(XdpComposer.isDispatcher(attached.info()), "bpftool's program is a bpfstore dispatcher");
                }

                // 1: default proceed-on {PASS}: drop-port's drops stop the chain
                assertEquals(0, net.udpFromBToA(DENIED, COUNT));
                assertEquals(COUNT, net.udpFromBToA(ALLOWED, COUNT));
                assertEquals(COUNT, port(all.map("all_ports"), DENIED), "count-all saw the denied port");
                assertEquals(COUNT, port(all.map("all_ports"), ALLOWED));
                assertEquals(COUNT, Counters.sum(drop.map("dropped"), Counters.u32(0), 0), "drop-port's drops");
                assertEquals(0, port(seen.map("seen_ports"), DENIED), "count-seen must not see dropped datagrams");
                assertEquals(COUNT, port(seen.map("seen_ports"), ALLOWED));
                assertEquals(2 * COUNT, udp(counter), "the example counted every UDP datagram first");
                long frames = Counters.sum(all.map(bss), Counters.u32(0), 0);
                assertTrue(frames >= 2 * COUNT, "count-all's .bss frame counter: " + frames);

                // 2: drop-port proceeds on DROP too: count-seen sees them, and its PASS lets them through
                try (ComposedProgram v2 = compose(List.of(protocols, first, last, new XdpMember("drop-port", dropPort,
                        "drop_port_prog", 20, Set.of(XdpAction.PASS.number(), XdpAction.DROP.number()), drop.maps())))) {
                    link.update(v1.program(), v2.program());
                    assertEquals(v2.program().id(),
                            Oracles.bpftool("link", "show", "id", Integer.toString(link.id())).get("prog_id").asInt());
                    assertEquals(COUNT, net.udpFromBToA(DENIED, COUNT), "the last member's PASS decides");
                    assertEquals(COUNT, net.udpFromBToA(ALLOWED, COUNT));
                    assertEquals(2 * COUNT, port(all.map("all_ports"), DENIED));
                    assertEquals(2 * COUNT, Counters.sum(drop.map("dropped"), Counters.u32(0), 0));
                    assertEquals(COUNT, port(seen.map("seen_ports"), DENIED));
                    assertEquals(2 * COUNT, port(seen.map("seen_ports"), ALLOWED));
                    assertEquals(4 * COUNT, udp(counter));

                    // 3: the middle member removed: the others' maps, with their contents, carry on
                    try (ComposedProgram v3 = compose(List.of(first, last, protocols))) {
                        link.update(v2.program(), v3.program());
                        Set<Integer> used = mapIds(v3.program().id());
                        assertTrue(used.containsAll(ids(all)) && used.containsAll(ids(seen))
                                && used.containsAll(ids(counter)), "bpftool map_ids " + used);
                        assertTrue(used.stream().noneMatch(ids(drop)::contains), "drop-port's maps are gone: " + used);
                        assertEquals(COUNT, net.udpFromBToA(DENIED, COUNT));
                        assertEquals(COUNT, net.udpFromBToA(ALLOWED, COUNT));
                        assertEquals(3 * COUNT, port(all.map("all_ports"), DENIED));
                        assertEquals(3 * COUNT, port(all.map("all_ports"), ALLOWED));
                        assertEquals(2 * COUNT, Counters.sum(drop.map("dropped"), Counters.u32(0), 0), "no longer runs");
                        assertEquals(2 * COUNT, port(seen.map("seen_ports"), DENIED));
                        assertEquals(3 * COUNT, port(seen.map("seen_ports"), ALLOWED));
                        assertEquals(6 * COUNT, udp(counter), "the example's per-CPU counters carried on");
                        assertTrue(Counters.sum(all.map(bss), Counters.u32(0), 0) >= frames + 4 * COUNT,
                                ".bss kept counting from where it was");
                    }
                }
            }
            JsonNode after = new ObjectMapper().readTree(net.exec(net.nameA(), "bpftool", "--json", "net", "show"))
                    .get(0).get("xdp");
            assertFalse(after.size() > 0, "closing the link detached the dispatcher: " + after);
        }
        // bpftool: the members' maps go with the last program and descriptor holding them
        Set<Integer> left = new HashSet<>(memberMaps);
        for (int attempt = 0; attempt < 30 && !left.isEmpty(); attempt++) {
            Set<Integer> shown = new HashSet<>();
            Oracles.bpftool("map", "show").forEach(m -> shown.add(m.get("id").asInt()));
            left.retainAll(shown);
            if (!left.isEmpty()) {
                Thread.sleep(100);
            }
        }
        assertEquals(Set.of(), left, "member maps left behind (bpftool map show)");
    }
}
