package io.bpfstore.kernel.dispatch;

import static io.bpfstore.kernel.dispatch.ComposeTrafficTest.ALLOWED;
import static io.bpfstore.kernel.dispatch.ComposeTrafficTest.COUNT;
import static io.bpfstore.kernel.dispatch.ComposeTrafficTest.DENIED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.sections.XdpAction;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.TestRun;
import io.bpfstore.kernel.link.Attachment;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.kernel.link.Interface;
import io.bpfstore.kernel.link.Xdp;
import io.bpfstore.kernel.link.XdpOptions;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.testing.Counters;
import io.bpfstore.kernel.testing.Leftovers;
import io.bpfstore.kernel.testing.TestNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-member run counts ({@link MemberRuns}): the dispatcher counts each member's runs in the member's own counter.
 * Oracles: real UDP traffic from test namespace B to A through an XDP link, and the members' own counters (count_all
 * counts every frame it sees in .bss; drop_port counts its drops), which the kernel keeps independently of the
 * dispatcher; BPF_PROG_TEST_RUN's repeat count.
 */
class MemberRunsTest {
    @RegisterExtension
    static final Leftovers LEFT = new Leftovers();

    private static ComposedProgram compose(List<XdpMember> members) {
        ComposedProgram composed = XdpComposer.compose(members, LoadOptions.defaults());
        LEFT.programs(List.of(composed.program().id()));
        return composed;
    }

    @Test
    void eachMembersRunsAreCountedAndCarryOverARecomposition() throws Exception {
        BpfObject countAll = TestObjects.read("count_all");
        BpfObject dropPort = TestObjects.read("drop_port");
        try (TestNetwork net = TestNetwork.create(); LoadedObject all = LEFT.load(countAll);
             LoadedObject drop = LEFT.load(dropPort); BpfMap allRuns = MemberRuns.create();
             BpfMap dropRuns = MemberRuns.create()) {
            assertTrue(MemberRuns.isCounter(allRuns));
            String bss = all.maps().keySet().stream().filter(n -> n.endsWith(".bss")).findFirst().orElseThrow();
            XdpMember first = XdpMember.of("count-all", countAll, "count_all", 10, all.maps()).countedIn(allRuns);
            XdpMember second = XdpMember.of("drop-port", dropPort, "drop_port_prog", 20, drop.maps()).countedIn(dropRuns);
            try (ComposedProgram v1 = compose(List.of(second, first));
                 Attachment attachment = Xdp.attach(v1.program(), XdpOptions.of(Interface.named("veth-a"))
                         .inNetns(net.a()).withMethod(XdpOptions.Method.LINK))) {
                BpfLink link = (BpfLink) attachment;
                LEFT.link(link.id());
                assertEquals(0, net.udpFromBToA(DENIED, COUNT));
                assertEquals(COUNT, net.udpFromBToA(ALLOWED, COUNT));
                long frames = Counters.sum(all.map(bss), Counters.u32(0), 0);
                assertTrue(frames >= 2 * COUNT, "count-all saw every datagram: " + frames);
                assertEquals(frames, MemberRuns.read(allRuns), "count-all ran once per frame it counted");
                // count-all passes everything: drop-port runs as often (frames may still be arriving: read both again)
                assertEquals(MemberRuns.read(allRuns), MemberRuns.read(dropRuns), "drop-port runs after every pass");

                // drop-port removed: its count stops, count-all's carries on in the same counter
                long dropBefore = MemberRuns.read(dropRuns);
                try (ComposedProgram v2 = compose(List.of(first))) {
                    link.update(v1.program(), v2.program());
                    long before = MemberRuns.read(allRuns);
                    assertEquals(COUNT, net.udpFromBToA(DENIED, COUNT), "nothing drops now");
                    long after = MemberRuns.read(allRuns);
                    assertTrue(after - before >= COUNT, "count-all counted on: " + before + " -> " + after);
                    assertEquals(Counters.sum(all.map(bss), Counters.u32(0), 0), after, "still one run per frame");
                    assertEquals(dropBefore, MemberRuns.read(dropRuns), "a member out of the composition is not counted");
                }
            }
        }
    }

    @Test
    void testRunCountsEveryRepeatAndOnlyTheMembersThatRun() throws Exception {
        BpfObject dropPort = TestObjects.read("drop_port");
        BpfObject countAll = TestObjects.read("count_all");
        try (LoadedObject drop = LEFT.load(dropPort); LoadedObject all = LEFT.load(countAll);
             BpfMap dropRuns = MemberRuns.create(); BpfMap allRuns = MemberRuns.create()) {
            XdpMember dropper = XdpMember.of("drop-port", dropPort, "drop_port_prog", 10, drop.maps()).countedIn(dropRuns);
            XdpMember counter = XdpMember.of("count-all", countAll, "count_all", 20, all.maps()).countedIn(allRuns);
            try (ComposedProgram composed = compose(List.of(dropper, counter))) {
                assertEquals(XdpAction.PASS.number(), composed.program().testRun(new TestRun(Frames.udp4(ALLOWED, 16), new byte[0],
                        1000, 0)).returnValue());
                assertEquals(XdpAction.DROP.number(), composed.program().testRun(new TestRun(Frames.udp4(DENIED, 16), new byte[0],
                        500, 0)).returnValue());
                assertEquals(1500, MemberRuns.read(dropRuns), "the first member runs on every repeat");
                assertEquals(1000, MemberRuns.read(allRuns), "the second only when the first passes");
            }
        }
    }
}
