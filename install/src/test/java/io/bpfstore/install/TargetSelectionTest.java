package io.bpfstore.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.install.api.TcMode;
import io.bpfstore.install.api.TrafficDirection;
import io.bpfstore.kernel.link.Direction;
import io.bpfstore.testsupport.ExampleObjects;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Choosing the hook and programs from flags and the package's programs, and refusing conflicting flags. */
class TargetSelectionTest {
    private static BpfObject example(String name) throws IOException {
        return BpfObject.read(ExampleObjects.resolve(name + ".o"));
    }

    private static TargetSelection.Flags flags(String iface, String netns, TrafficDirection direction, String cgroup,
                                               String program) {
        return new TargetSelection.Flags(Optional.ofNullable(iface), Optional.ofNullable(netns),
                Optional.ofNullable(direction), Optional.ofNullable(cgroup).map(Path::of), Optional.ofNullable(program));
    }

    @Test
    void theProgramTypeDecidesBetweenXdpAndTc() throws IOException {
        assertEquals(new HookTarget.Xdp("v0", Optional.of("ns")),
                TargetSelection.target(flags("v0", "ns", null, null, null), example("xdp_counter"), "c"));
        assertEquals(new HookTarget.Tc("v0", Optional.empty(), Direction.INGRESS),
                TargetSelection.target(flags("v0", null, null, null, null), example("tc_port_drop"), "d"));
        assertEquals(new HookTarget.Tc("v0", Optional.empty(), Direction.EGRESS),
                TargetSelection.target(flags("v0", null, TrafficDirection.EGRESS, null, null), example("tc_port_drop"), "d"));
        assertEquals(new HookTarget.Tracing(),
                TargetSelection.target(flags(null, null, null, null, null), example("exec_trace"), "t"));
    }

    @Test
    void tcModeChoosesLegacyFiltersOrTcxAndAutoFollowsTheKernel() throws IOException {
        BpfObject tc = example("tc_port_drop");
        for (TcMode mode : TcMode.values()) {
            var flags = new TargetSelection.Flags(Optional.of("v0"), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(mode));
            HookTarget.Tc target = (HookTarget.Tc) TargetSelection.target(flags, tc, "d");
            // tcx came with Linux 6.6: the release uname reports decides what auto means
            String[] release = System.getProperty("os.version").split("[.-]");
            boolean tcxKernel = Integer.parseInt(release[0]) > 6
                    || (Integer.parseInt(release[0]) == 6 && Integer.parseInt(release[1]) >= 6);
            boolean legacy = switch (mode) {
                case AUTO -> !tcxKernel;
                case TCX -> false;
                case LEGACY -> true;
            };
            assertEquals(legacy, target.legacy(), mode.name());
            assertEquals(legacy, target.describe().endsWith("(legacy clsact)"), target.describe());
        }
        BpfObject xdp = example("xdp_counter");
        InstallException onXdp = assertThrows(InstallException.class, () -> TargetSelection.target(new TargetSelection.Flags(
                Optional.of("v0"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(TcMode.LEGACY)), xdp, "c"));
        assertTrue(onXdp.getMessage().contains("--tc-mode applies to tc programs"), onXdp.getMessage());
        InstallException noIface = assertThrows(InstallException.class, () -> TargetSelection.target(
                new TargetSelection.Flags(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(Path.of("/cg")),
                        Optional.empty(), Optional.of(TcMode.TCX)), tc, "d"));
        assertTrue(noIface.getMessage().contains("--tc-mode needs --iface"), noIface.getMessage());
    }

    @Test
    void conflictingFlagsAreRefusedByName() throws IOException {
        BpfObject xdp = example("xdp_counter");
        for (var c : List.of(
                new Object[] {flags("v0", null, null, "/cg", null), "--iface and --cgroup"},
                new Object[] {flags(null, "ns", null, null, null), "--netns needs --iface"},
                new Object[] {flags(null, null, TrafficDirection.INGRESS, null, null), "--direction needs --iface"},
                new Object[] {flags("v0", null, TrafficDirection.EGRESS, null, "xdp_count"), "--direction applies to tc"},
                new Object[] {flags("v0", null, null, null, "nope"), "c has no program nope"},
                new Object[] {flags(null, null, null, null, null), "c needs a hook"},
                new Object[] {flags("a-name-longer-than-15", null, null, null, null), "not an interface name"})) {
            InstallException e = assertThrows(InstallException.class,
                    () -> TargetSelection.target((TargetSelection.Flags) c[0], xdp, "c"));
            assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
        }
    }

    @Test
    void aPackageWithSeveralProgramsForTheHookNeedsProgram() throws IOException {
        BpfObject tail = example("tail_calls");
        ResolvedPackage pkg = new ResolvedPackage("local/tail-calls", "tail-calls", "0.1.0", "x", "sha256:00", "tail_calls",
                new byte[0], List.of(), Optional.empty());
        HookTarget xdp = new HookTarget.Xdp("v0", Optional.empty());
        InstallException e = assertThrows(InstallException.class,
                () -> TargetSelection.programs(xdp, tail, Optional.empty(), pkg));
        assertTrue(e.getMessage().contains("choose one with --program"), e.getMessage());
        String first = tail.programs().getFirst().name();
        assertEquals(first, TargetSelection.programs(xdp, tail, Optional.of(first), pkg).getFirst().name());
        BpfObject usage = example("cgroup_data_usage");
        assertEquals(2, TargetSelection.programs(new HookTarget.Cgroup(Path.of("/cg")), usage, Optional.empty(), pkg)
                .size(), "cgroup packages attach every cgroup program");
    }
}
