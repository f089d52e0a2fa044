package io.bpfstore.kernel.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.bytecode.sections.XdpAction;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.ProgramSpec;
import io.bpfstore.kernel.TestRun;
import io.bpfstore.kernel.UpdateMode;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.testing.TestCode;
import io.bpfstore.kernel.testing.Counters;
import io.bpfstore.kernel.testing.Leftovers;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.testsupport.ExampleObjects;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dispatcher's chain semantics, run by the kernel (BPF_PROG_TEST_RUN) over a table of member verdicts and
 * proceed-on sets: three members of the verdict test program, each returning the verdict in its config map. For
 * every combination, which members ran (their own counters) and the composed verdict must be what libxdp's rule
 * gives when applied to the verdicts the members return standalone (each also test-run on its own).
 */
class VerdictTableTest {
    @RegisterExtension
    static final Leftovers LEFT = new Leftovers();
    private static final byte[] ALL = Counters.u32(0xffffffff);
    private static final Set<Integer> EVERY = Set.of(0, 1, 2, 3, 4);

    private static void setVerdict(LoadedObject member, int verdict) {
        member.map("verdict_cfg").update(Counters.u32(0), ByteBuffer.allocate(4).order(ByteOrder.nativeOrder())
                .putInt(verdict).array(), UpdateMode.ANY);
    }

    private static long seen(LoadedObject member) {
        return Counters.sum(member.map("seen_ports"), ALL, 0);
    }

    @Test
    void everyVerdictAndProceedOnCombination() throws Exception {
        BpfObject object = TestObjects.read("verdict");
        // given out of order: priorities decide, and the tie between m-a and m-b goes to the name
        List<String> names = List.of("m-b", "m-c", "m-a");
        Map<String, Integer> priority = Map.of("m-c", 1, "m-a", 2, "m-b", 2);
        List<String> order = List.of("m-c", "m-a", "m-b");
        List<List<Set<Integer>>> proceedSets = List.of(
                List.of(XdpMember.DEFAULT_PROCEED_ON, XdpMember.DEFAULT_PROCEED_ON, XdpMember.DEFAULT_PROCEED_ON),
                List.of(Set.of(1, 2), Set.of(2), Set.of(0)),
                List.of(Set.of(2), EVERY, Set.of()),
                List.of(EVERY, EVERY, EVERY),
                List.of(Set.of(3, 4), Set.of(1), Set.of(2, 3)));
        Map<String, LoadedObject> loaded = new java.util.HashMap<>();
        try {
            for (String n : names) {
                loaded.put(n, LEFT.load(object));
            }
            byte[] frame = Frames.udp4(9, 8);
            int checked = 0;
            for (List<Set<Integer>> sets : proceedSets) {
                List<XdpMember> members = new ArrayList<>();
                for (String n : names) {
                    members.add(new XdpMember(n, object, "verdict_prog", priority.get(n), sets.get(order.indexOf(n)),
                            loaded.get(n).maps()));
                }
                try (ComposedProgram composed = XdpComposer.compose(members, LoadOptions.defaults())) {
                    LEFT.programs(List.of(composed.program().id()));
                    assertEquals(order, composed.order());
                    for (int v = 0; v < 125; v++) {
                        int[] verdicts = {v % 5, v / 5 % 5, v / 25};
                        int[] standalone = new int[3];
                        for (int i = 0; i < 3; i++) {
                            LoadedObject m = loaded.get(order.get(i));
                            setVerdict(m, verdicts[i]);
                            standalone[i] = m.program("verdict_prog").testRun(TestRun.of(frame)).returnValue();
                        }
                        long[] before = new long[3];
                        for (int i = 0; i < 3; i++) {
                            before[i] = seen(loaded.get(order.get(i)));
                        }
                        int actual = composed.program().testRun(TestRun.of(frame)).returnValue();
                        // libxdp's rule, applied to what the members returned standalone
                        int expected = XdpAction.PASS.number();
                        boolean[] ran = new boolean[3];
                        for (int i = 0; i < 3; i++) {
                            ran[i] = true;
                            if (!sets.get(i).contains(standalone[i])) {
                                expected = standalone[i];
                                break;
                            }
                        }
                        String what = "proceed-on " + sets + ", verdicts " + java.util.Arrays.toString(standalone);
                        assertEquals(expected, actual, what);
                        for (int i = 0; i < 3; i++) {
                            assertEquals(ran[i] ? 1 : 0, seen(loaded.get(order.get(i))) - before[i],
                                    what + ": runs of " + order.get(i));
                        }
                        checked++;
                    }
                }
            }
            assertEquals(proceedSets.size() * 125, checked);
        } finally {
            loaded.values().forEach(LoadedObject::close);
        }
    }

    @Test
    void aRefusedMemberIsNamedWithItsSourceLine() throws Exception {
        Path bad = ExampleObjects.resolve("rejected", "oob_packet_read.o");
        BpfObject rejected = BpfObject.read(bad);
        BpfObject counter = TestObjects.read("count_all");
        try (LoadedObject good = LEFT.load(counter)) {
            CompositionRejectedException e = assertThrows(CompositionRejectedException.class, () -> XdpComposer.compose(
                    List.of(XdpMember.of("good", counter, "count_all", 1, good.maps()),
                            XdpMember.of("bad", rejected, rejected.programs().getFirst().name(), 2, Map.of())),
                    LoadOptions.defaults()));
            assertEquals(java.util.Optional.of("bad"), e.member(), e.getMessage());
            assertTrue(e.getMessage().contains("member \"bad\"") && e.getMessage().contains("oob_packet_read.c:"),
                    e.getMessage());
            CompositionRejectedException noMaps = assertThrows(CompositionRejectedException.class,
                    () -> XdpComposer.compose(List.of(XdpMember.of("good", counter, "count_all", 1, Map.of())),
                            LoadOptions.defaults()));
            assertEquals(java.util.Optional.of("good"), noMaps.member(), noMaps.getMessage());
            assertTrue(noMaps.getMessage().contains("all_ports") || noMaps.getMessage().contains(".bss"), noMaps.getMessage());
        }
    }

    /**
     * Stack under the dispatcher: with the JIT the verifier charges the dispatcher's frame (no stack of its own)
     * nothing, so a member using nearly all 512 bytes composes, and so does one that also tail-calls (the kernel's
     * 256-byte rule for tail calls from subprograms counts the frames before the caller: here none). Composition
     * adds no stack limit of its own; these are the documented claims, checked by the verifier.
     */
    @Test
    void stackUnderTheDispatcher() throws Exception {
        for (String define : List.of("", "TAIL")) {
            BpfObject object = TestObjects.read("big_stack", define);
            try (LoadedObject alone = LEFT.load(object);
                 ComposedProgram composed = XdpComposer.compose(List.of(XdpMember.of("big", object, "big_stack", 1,
                         alone.maps())), LoadOptions.defaults())) {
                LEFT.programs(List.of(composed.program().id()));
                assertEquals(XdpAction.PASS.number(), composed.program().testRun(TestRun.of(Frames.arp())).returnValue(),
                        "member using 496 bytes of stack " + define);
            }
        }
    }

    /**
     * Call depth: the kernel allows 8 frames and the dispatcher's is one of them. A member whose call chain is 8
     * frames deep (its entry and 7 nested subprograms) loads alone and is refused composed, naming it; one 7 deep
     * composes.
     */
    @Test
    void callDepthUnderTheDispatcher() throws Exception {
        BpfObject eight = TestObjects.read("deep_calls", "DEPTH=8");
        BpfObject seven = TestObjects.read("deep_calls", "DEPTH=7");
        try (LoadedObject deep = LEFT.load(eight); LoadedObject fits = LEFT.load(seven)) {
            CompositionRejectedException e = assertThrows(CompositionRejectedException.class, () -> XdpComposer.compose(
                    List.of(XdpMember.of("deep", eight, "deep_calls", 1, deep.maps())), LoadOptions.defaults()));
            assertTrue(e.getMessage().contains("too deep"), e.getMessage());
            assertEquals(java.util.Optional.of("deep"), e.member());
            try (ComposedProgram composed = XdpComposer.compose(List.of(XdpMember.of("fits", seven, "deep_calls", 1,
                    fits.maps())), LoadOptions.defaults())) {
                LEFT.programs(List.of(composed.program().id()));
                assertEquals(XdpAction.PASS.number(), composed.program().testRun(TestRun.of(Frames.arp())).returnValue());
            }
        }
    }

    /**
     * A tail call made inside a member replaces the member, not the dispatcher: the target's verdict is the
     * member's return value and the chain goes on (with the JIT the target reuses the member's frame, whose return
     * address is in the dispatcher).
     */
    @Test
    void aTailCallInsideAMemberReturnsToTheDispatcher() throws Exception {
        BpfObject tail = TestObjects.read("tail_drop");
        BpfObject verdict = TestObjects.read("verdict");
        try (LoadedObject tailer = LEFT.load(tail); LoadedObject counter = LEFT.load(verdict)) {
            setVerdict(counter, XdpAction.PASS.number());
            byte[] frame = Frames.udp4(9, 8);
            assertEquals(XdpAction.DROP.number(), tailer.program("tail_entry").testRun(TestRun.of(frame)).returnValue(),
                    "standalone, the tail call reaches drop_target");
            for (Set<Integer> proceed : List.of(Set.of(XdpAction.DROP.number()), XdpMember.DEFAULT_PROCEED_ON)) {
                try (ComposedProgram composed = XdpComposer.compose(List.of(
                        new XdpMember("tailer", tail, "tail_entry", 1, proceed, tailer.maps()),
                        XdpMember.of("counter", verdict, "verdict_prog", 2, counter.maps())), LoadOptions.defaults())) {
                    LEFT.programs(List.of(composed.program().id()));
                    long before = seen(counter);
                    int actual = composed.program().testRun(TestRun.of(frame)).returnValue();
                    boolean proceeds = proceed.contains(XdpAction.DROP.number());
                    assertEquals(proceeds ? XdpAction.PASS.number() : XdpAction.DROP.number(), actual, "proceed-on " + proceed);
                    assertEquals(proceeds ? 1 : 0, seen(counter) - before, "the member after the tail call ran");
                }
            }
        }
    }

    /**
     * A refusal the verifier pins on no instruction is attributed by elimination: a frags member whose prog array
     * belongs to frags programs cannot run in a dispatcher without frags (another member lacks them), and the
     * kernel says so only with EINVAL.
     */
    @Test
    void aRefusalWithoutAnInstructionIsAttributedByElimination() throws Exception {
        BpfObject frags = TestObjects.read("tail_drop", "FRAGS");
        BpfObject plain = TestObjects.read("count_all");
        try (LoadedObject tailer = LEFT.load(frags); LoadedObject counter = LEFT.load(plain)) {
            // alone, the dispatcher takes the member's frags and loads
            try (ComposedProgram alone = XdpComposer.compose(List.of(XdpMember.of("frags", frags, "tail_entry", 1,
                    tailer.maps())), LoadOptions.defaults())) {
                LEFT.programs(List.of(alone.program().id()));
            }
            CompositionRejectedException e = assertThrows(CompositionRejectedException.class, () -> XdpComposer.compose(
                    List.of(XdpMember.of("plain", plain, "count_all", 1, counter.maps()),
                            XdpMember.of("frags", frags, "tail_entry", 2, tailer.maps())), LoadOptions.defaults()));
            assertEquals(java.util.Optional.of("frags"), e.member(), e.getMessage());
            assertTrue(e.getMessage().contains("after the verifier accepted its code: EINVAL")
                    && e.getMessage().contains("refused in a dispatcher of its own too"), e.getMessage());
        }
    }

    @Test
    void badMemberListsAreRefused() throws Exception {
        BpfObject counter = TestObjects.read("count_all");
        assertThrows(IllegalArgumentException.class, () -> XdpComposer.compose(List.of(), LoadOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> XdpComposer.compose(List.of(
                XdpMember.of("same", counter, "count_all", 1, Map.of()),
                XdpMember.of("same", counter, "count_all", 2, Map.of())), LoadOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> new XdpMember("x", counter, "count_all", 1, Set.of(5), Map.of()));
        CompositionRejectedException shadowing = assertThrows(CompositionRejectedException.class, () ->
                XdpComposer.compose(List.of(new XdpMember("first", counter, "count_all", 1, Set.of(), Map.of()),
                        XdpMember.of("second", counter, "count_all", 2, Map.of())), LoadOptions.defaults()));
        assertEquals(java.util.Optional.of("first"), shadowing.member());
        assertTrue(shadowing.getMessage().contains("[second]"), shadowing.getMessage());
        CompositionRejectedException noProgram = assertThrows(CompositionRejectedException.class, () ->
                XdpComposer.compose(List.of(XdpMember.of("x", counter, "nope", 1, Map.of())), LoadOptions.defaults()));
        assertTrue(noProgram.getMessage().contains("\"nope\""), noProgram.getMessage());
    }

    /** The kernel keeps the names the recognisers look for: a libxdp-named program is libxdp's, ours is ours. */
    @Test
    void dispatchersAreRecognisedByWhatTheKernelReports() throws Exception {
        byte[] pass = TestCode.returning(2);
        BpfObject counter = TestObjects.read("count_all");
        try (BpfProgram libxdp = BpfProgram.load(ProgramSpec.of("xdp_dispatcher", ProgramType.XDP, pass));
             BpfProgram other = BpfProgram.load(ProgramSpec.of("bst_xdp_other", ProgramType.XDP, pass));
             LoadedObject good = LEFT.load(counter);
             ComposedProgram ours = XdpComposer.compose(List.of(XdpMember.of("c", counter, "count_all", 1, good.maps())),
                     LoadOptions.defaults())) {
            LEFT.programs(List.of(libxdp.id(), other.id(), ours.program().id()));
            var fromKernel = BpfProgram.fromId(ours.program().id());
            try (fromKernel) {
                assertTrue(XdpComposer.isDispatcher(fromKernel.info()));
                assertFalse(XdpComposer.isLibxdpDispatcher(fromKernel.info()));
            }
            assertTrue(XdpComposer.isLibxdpDispatcher(libxdp.info()));
            assertFalse(XdpComposer.isDispatcher(libxdp.info()));
            assertFalse(XdpComposer.isDispatcher(other.info()) || XdpComposer.isLibxdpDispatcher(other.info()));
            assertEquals(XdpComposer.DISPATCHER_NAME,
                    Oracles.bpftool("prog", "show", "id", Integer.toString(ours.program().id())).get("name").asText());
        }
    }
}
