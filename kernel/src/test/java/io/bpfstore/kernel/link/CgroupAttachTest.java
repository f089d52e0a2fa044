package io.bpfstore.kernel.link;

import static io.bpfstore.kernel.testing.TestCode.returning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.LinkTarget;
import io.bpfstore.kernel.ProgramSpec;
import io.bpfstore.kernel.testing.Leftovers;
import io.bpfstore.kernel.testing.LoadedObject;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.TestCgroup;
import io.bpfstore.kernel.testing.TestNetwork;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * cgroup programs on a test cgroup: a ping started inside the cgroup (and inside a test network namespace)
 * is counted exactly by cgroup_data_usage, attached by link and by BPF_PROG_ATTACH; the kernel's
 * attach flags (NONE replaces in place, ALLOW_MULTI stacks, REPLACE swaps one slot) are checked against
 * bpftool cgroup show and the kernel's query.
 */
class CgroupAttachTest {
    @RegisterExtension
    static final Leftovers LEFT = new Leftovers();

    enum Way { LINK, PROG_ATTACH }

    private static Attachment attach(Way way, BpfProgram program, Path cgroup, AttachType hook) {
        return LEFT.attached(switch (way) {
            case LINK -> CgroupAttach.link(program, CgroupOptions.of(cgroup, hook, CgroupFlags.ALLOW_MULTI));
            case PROG_ATTACH -> CgroupAttach.attach(program, CgroupOptions.of(cgroup, hook, CgroupFlags.ALLOW_MULTI));
        });
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void dataUsageCountsThePacketsOfAProcessInTheCgroup(Way way) throws Exception {
        int pings = 15;
        int payload = 100;
        int ipLength = 20 + 8 + payload; // cgroup_skb's skb->len starts at the network header
        try (TestNetwork net = TestNetwork.create(); TestCgroup cgroup = TestCgroup.create("usage-" + way);
             LoadedObject object = LoadedObject.load("cgroup_data_usage")) {
            LEFT.programs(object.programIds());
            LEFT.path(cgroup.path());
            try (Attachment in = attach(way, object.program("cgroup_count_in"), cgroup.path(), AttachType.CGROUP_INET_INGRESS);
                 Attachment out = attach(way, object.program("cgroup_count_out"), cgroup.path(), AttachType.CGROUP_INET_EGRESS)) {
                String bpftool = Oracles.run(List.of("bpftool", "cgroup", "show", cgroup.path().toString()));
                assertTrue(bpftool.contains("cgroup_inet_ingress") && bpftool.contains("cgroup_count_in"), bpftool);
                assertTrue(bpftool.contains("cgroup_inet_egress") && bpftool.contains("cgroup_count_out"), bpftool);
                // The shell moves itself into the cgroup, then becomes the ping: no packet leaves before the move.
                Oracles.run(List.of("sh", "-c", "echo $$ > " + cgroup.path().resolve("cgroup.procs") + " && exec ip netns exec "
                        + net.nameB() + " ping -q -n -c " + pings + " -i 0.01 -W 2 -s " + payload + " " + net.ipv4A()));
                Traffic total = Traffic.sum(object.map("uid_stats"));
                assertEquals(new Traffic((long) pings * ipLength, pings, (long) pings * ipLength, pings), total,
                        "echo requests sent (tx) and replies received (rx) by the ping in the cgroup");
            }
            assertEquals(List.of(), CgroupAttach.query(cgroup.path(), AttachType.CGROUP_INET_INGRESS, false).programIds());
            assertEquals(List.of(), CgroupAttach.query(cgroup.path(), AttachType.CGROUP_INET_EGRESS, false).programIds());
        }
    }

    /** struct traffic of cgroup_data_usage. */
    record Traffic(long rxBytes, long rxPackets, long txBytes, long txPackets) {
        static Traffic sum(BpfMap uidStats) {
            long[] t = new long[4];
            for (byte[] key : uidStats.keys()) {
                ByteBuffer v = ByteBuffer.wrap(uidStats.lookup(key).orElseThrow()).order(ByteOrder.nativeOrder());
                for (int i = 0; i < 4; i++) {
                    t[i] += v.getLong(i * 8);
                }
            }
            return new Traffic(t[0], t[1], t[2], t[3]);
        }
    }

    @Test
    void flagsDecideReplaceInPlaceStackingAndSlotReplacement() throws Exception {
        try (TestCgroup cgroup = TestCgroup.create("flags");
             BpfProgram p1 = allow("bst_cg_one"); BpfProgram p2 = allow("bst_cg_two"); BpfProgram p3 = allow("bst_cg_three")) {
            LEFT.programs(List.of(p1.id(), p2.id(), p3.id()));
            LEFT.path(cgroup.path());
            Path path = cgroup.path();
            AttachType ingress = AttachType.CGROUP_INET_INGRESS;
            AttachType egress = AttachType.CGROUP_INET_EGRESS;

            // NONE: a second NONE attach replaces the program in place; a multi attach is refused.
            try (CgroupProgramAttachment h1 = CgroupAttach.attach(p1, CgroupOptions.of(path, ingress, CgroupFlags.NONE));
                 CgroupProgramAttachment h2 = CgroupAttach.attach(p2, CgroupOptions.of(path, ingress, CgroupFlags.NONE))) {
                assertEquals(List.of(p2.id()), ids(path, ingress));
                assertEquals(List.of(p2.id()), bpftoolIds(path, "cgroup_inet_ingress"));
                BpfException refused = assertThrows(BpfException.class,
                        () -> CgroupAttach.attach(p3, CgroupOptions.of(path, ingress, CgroupFlags.ALLOW_MULTI)));
                assertEquals("EPERM", refused.errno().orElseThrow().name(), refused.getMessage());
                assertTrue(refused.getMessage().startsWith("attach program \"bst_cg_three\""), refused.getMessage());
                assertTrue(refused.getMessage().contains("flags that forbid this one"), refused.getMessage());
                BpfException linkRefused = assertThrows(BpfException.class,
                        () -> CgroupAttach.link(p3, CgroupOptions.of(path, ingress, CgroupFlags.NONE)));
                assertEquals("EPERM", linkRefused.errno().orElseThrow().name(), linkRefused.getMessage());
                h1.close(); // replaced already: must not detach p2
                assertEquals(List.of(p2.id()), ids(path, ingress));
            }
            assertEquals(List.of(), ids(path, ingress));

            // A program of the wrong type is refused with the hook named, by both ways.
            try (BpfProgram xdp = BpfProgram.load(ProgramSpec.of("bst_cg_xdp", ProgramType.XDP, returning(2)))) {
                LEFT.programs(List.of(xdp.id()));
                BpfException viaLink = assertThrows(BpfException.class,
                        () -> CgroupAttach.link(xdp, CgroupOptions.of(path, ingress, CgroupFlags.NONE)));
                assertTrue(viaLink.getMessage().endsWith("EINVAL — the program's type or expected attach type does not fit"
                        + " cgroup_inet_ingress"), viaLink.getMessage());
                BpfException viaAttach = assertThrows(BpfException.class,
                        () -> CgroupAttach.attach(xdp, CgroupOptions.of(path, ingress, CgroupFlags.NONE)));
                assertEquals("EINVAL", viaAttach.errno().orElseThrow().name(), viaAttach.getMessage());
            }

            // ALLOW_MULTI stacks in order, links share the hook, REPLACE swaps one slot.
            try (CgroupProgramAttachment m1 = CgroupAttach.attach(p1, CgroupOptions.of(path, egress, CgroupFlags.ALLOW_MULTI));
                 CgroupProgramAttachment m2 = CgroupAttach.attach(p2, CgroupOptions.of(path, egress, CgroupFlags.ALLOW_MULTI))) {
                assertEquals(List.of(p1.id(), p2.id()), ids(path, egress));
                BpfException twice = assertThrows(BpfException.class,
                        () -> CgroupAttach.attach(p2, CgroupOptions.of(path, egress, CgroupFlags.ALLOW_MULTI)));
                assertTrue(twice.getMessage().endsWith("this program is already attached to this hook"), twice.getMessage());
                try (CgroupProgramAttachment r = CgroupAttach.attach(p3, CgroupOptions.replacing(path, egress, p1))) {
                    assertEquals(List.of(p3.id(), p2.id()), ids(path, egress));
                    assertEquals(List.of(p3.id(), p2.id()), bpftoolIds(path, "cgroup_inet_egress"));
                    BpfException gone = assertThrows(BpfException.class,
                            () -> CgroupAttach.attach(p1, CgroupOptions.replacing(path, egress, p1)));
                    assertTrue(gone.getMessage().contains("the program to replace, is not attached here"), gone.getMessage());
                    try (BpfLink link = CgroupAttach.link(p1, CgroupOptions.of(path, egress, CgroupFlags.NONE))) {
                        LEFT.link(link.id());
                        assertEquals(List.of(p3.id(), p2.id(), p1.id()), ids(path, egress));
                        LinkTarget.Cgroup target = (LinkTarget.Cgroup) link.info().target();
                        assertEquals(((Number) Files.getAttribute(path, "unix:ino")).longValue(), target.cgroupId());
                        // a link's program is swapped with update, in the same slot
                        try (BpfProgram p4 = allow("bst_cg_four")) {
                            LEFT.programs(List.of(p4.id()));
                            link.update(p4);
                            assertEquals(List.of(p3.id(), p2.id(), p4.id()), ids(path, egress));
                        }
                    }
                    m1.close(); // p1's slot went to p3: nothing to do
                    assertEquals(List.of(p3.id(), p2.id()), ids(path, egress));
                }
                assertEquals(List.of(p2.id()), ids(path, egress));
            }
            assertEquals(List.of(), ids(path, egress));
        }
    }

    private static BpfProgram allow(String name) {
        return BpfProgram.load(ProgramSpec.of(name, ProgramType.CGROUP_SKB, returning(1)));
    }

    private static List<Integer> ids(Path cgroup, AttachType hook) {
        return CgroupAttach.query(cgroup, hook, false).programIds();
    }

    /** The program ids bpftool cgroup show lists for one hook, in its order. */
    private static List<Integer> bpftoolIds(Path cgroup, String hook) {
        List<Integer> out = new java.util.ArrayList<>();
        Oracles.bpftool("cgroup", "show", cgroup.toString()).forEach(n -> {
            if (n.get("attach_type").asText().equals(hook)) {
                out.add(n.get("id").asInt());
            }
        });
        return out;
    }
}
