package io.bpfstore.kernel.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.TestNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The feature probes behind "not supported by this kernel" messages agree with the running kernel's version
 * (uname -r): BPF links exist from 5.7, tcx from 6.6. On these machines (6.18) both must say yes, so an
 * unsupported-hook error can only come from a kernel that really lacks the hook.
 */
class HookSupportTest {

    private static boolean atLeast(String release, int major, int minor) {
        String[] parts = release.split("[.-]");
        int ma = Integer.parseInt(parts[0]);
        int mi = Integer.parseInt(parts[1]);
        return ma > major || (ma == major && mi >= minor);
    }

    @Test
    void probesAgreeWithTheKernelVersion() throws Exception {
        Oracles.requireRoot();
        String release = Oracles.run(List.of("uname", "-r")).strip();
        assertEquals(atLeast(release, 5, 7), HookSupport.linkCreate(), "BPF_LINK_CREATE on " + release);
        try (TestNetwork net = TestNetwork.create()) {
            boolean tcx = net.a().run(() -> HookSupport.tcx(Interface.named("veth-a").resolve("probe").ifindex()));
            assertEquals(atLeast(release, 6, 6), tcx, "tcx on " + release);
        }
    }
}
