package io.bpfstore.kernel.link;

import static io.bpfstore.kernel.testing.TestCode.returning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.ProgramSpec;
import io.bpfstore.kernel.testing.Leftovers;
import io.bpfstore.kernel.testing.OpenFds;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.TestCgroup;
import io.bpfstore.kernel.testing.TestNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every attach, refusal and detach of every hook closes the descriptors it opened on the way (namespace
 * files, netlink sockets, cgroup directories, perf events, program references): /proc/self/fd has as many
 * entries after many rounds as before. Then nothing is left in the kernel either.
 */
class LinkFdHygieneTest {
    @Test
    void attachAndDetachLeaveNoDescriptorBehind() throws Exception {
        Oracles.requireRoot();
        Leftovers left = new Leftovers();
        try (TestNetwork net = TestNetwork.create(); TestCgroup cgroup = TestCgroup.create("fds");
             BpfProgram xdp = BpfProgram.load(ProgramSpec.of("bst_fd_xdp", ProgramType.XDP, returning(2)));
             BpfProgram cls = BpfProgram.load(ProgramSpec.of("bst_fd_cls", ProgramType.SCHED_CLS, returning(-1)));
             BpfProgram skb = BpfProgram.load(ProgramSpec.of("bst_fd_skb", ProgramType.CGROUP_SKB, returning(1)));
             BpfProgram raw = BpfProgram.load(ProgramSpec.of("bst_fd_raw", ProgramType.RAW_TRACEPOINT, returning(0)));
             BpfProgram perf = BpfProgram.load(ProgramSpec.of("bst_fd_perf", ProgramType.PERF_EVENT, returning(0)));
             BpfProgram kprobe = BpfProgram.load(ProgramSpec.of("bst_fd_kp", ProgramType.KPROBE, returning(0)))) {
            left.programs(List.of(xdp.id(), cls.id(), skb.id(), raw.id(), perf.id(), kprobe.id()));
            left.path(cgroup.path());
            XdpOptions onA = XdpOptions.of(Interface.named("veth-a")).inNetns(net.a());
            round(net, cgroup, xdp, cls, skb, raw, perf, kprobe, onA, left); // warm up class initialisation
            long before = OpenFds.count();
            for (int i = 0; i < 5; i++) {
                round(net, cgroup, xdp, cls, skb, raw, perf, kprobe, onA, left);
            }
            assertEquals(before, OpenFds.count(), "descriptors leaked by attach/detach");
        }
        left.assertNoneLeft();
    }

    private static void round(TestNetwork net, TestCgroup cgroup, BpfProgram xdp, BpfProgram cls, BpfProgram skb,
                              BpfProgram raw, BpfProgram perf, BpfProgram kprobe, XdpOptions onA, Leftovers left) {
        try (Attachment a = Xdp.attach(xdp, onA)) {
            left.link(((BpfLink) a).id());
            assertThrows(BpfException.class, () -> Xdp.attach(xdp, onA)); // EBUSY path reads who holds it
        }
        try (Attachment a = Xdp.attach(xdp, onA.withMethod(XdpOptions.Method.NETLINK).withMode(XdpMode.GENERIC))) {
            assertThrows(BpfException.class, () -> Xdp.attach(xdp, onA.withMethod(XdpOptions.Method.NETLINK)
                    .withMode(XdpMode.GENERIC)));
        }
        try (BpfLink l = Tcx.attach(cls, TcxOptions.of(Interface.named("veth-a"), Direction.EGRESS).inNetns(net.a()))) {
            left.link(l.id());
            assertThrows(BpfException.class, () -> Tcx.attach(cls, TcxOptions.of(Interface.named("veth-a"),
                    Direction.EGRESS).inNetns(net.a())));
        }
        try (TcFilterAttachment f = TcLegacy.attach(cls, TcOptions.of(Interface.named("veth-b"), Direction.INGRESS)
                .inNetns(net.b()))) {
            f.describe();
        }
        try (CgroupProgramAttachment c = CgroupAttach.attach(skb, CgroupOptions.of(cgroup.path(),
                AttachType.CGROUP_INET_EGRESS, CgroupFlags.ALLOW_MULTI))) {
            assertThrows(BpfException.class, () -> CgroupAttach.attach(skb, CgroupOptions.of(cgroup.path(),
                    AttachType.CGROUP_INET_EGRESS, CgroupFlags.ALLOW_MULTI)));
        }
        try (BpfLink l = CgroupAttach.link(skb, CgroupOptions.of(cgroup.path(), AttachType.CGROUP_INET_INGRESS,
                CgroupFlags.NONE))) {
            left.link(l.id());
        }
        try (BpfLink l = RawTracepoint.attach(raw, "sched_process_exec")) {
            left.link(l.id());
        }
        try (BpfLink l = PerfEvent.attach(perf, PerfEventOptions.cpuClock(0, 10))) {
            left.link(l.id());
        }
        assertThrows(BpfException.class, () -> RawTracepoint.attach(raw, "bst_no_such_tp"));
        assertThrows(BpfException.class, () -> Xdp.attach(cls, onA));
        if (Kprobe.pmuType().isEmpty()) {
            assertThrows(UnsupportedHookException.class, () -> Kprobe.attach(kprobe, KprobeOptions.entry("tcp_sendmsg")));
        }
    }
}
