package io.bpfstore.kernel;

import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import static io.bpfstore.kernel.testing.TestCode.exitWithoutResult;
import static io.bpfstore.kernel.testing.TestCode.returning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpfstore.kernel.inventory.HostInventory;
import io.bpfstore.kernel.probe.FeatureProbe;
import io.bpfstore.kernel.testing.OpenFds;
import io.bpfstore.kernel.testing.RequiresRoot;
import io.bpfstore.kernel.testing.TinyBtf;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Every success and failure path closes the descriptors it opened: /proc/self/fd has as many entries after as before. */
@RequiresRoot
class FdHygieneTest {
    @Test
    void noDescriptorOutlivesItsHandle() throws IOException {
        // Warm up class initialisation (linker, lookups), which may open files of its own once.
        try (BpfProgram warm = BpfProgram.load(ProgramSpec.of("bst_warm", ProgramType.XDP, returning(1)))) {
            warm.info();
        }
        HostInventory.scan();
        long before = OpenFds.count();
        for (int i = 0; i < 20; i++) {
            try (BpfMap map = BpfMap.create(MapSpec.of("bst_fd_map", MapType.HASH, 4, 4, 4));
                 BpfProgram prog = BpfProgram.load(ProgramSpec.of("bst_fd_prog", ProgramType.XDP, returning(1)));
                 BtfHandle btf = BtfHandle.load(TinyBtf.intOnly())) {
                map.keys();
                prog.testRun(TestRun.of(new byte[64]));
                btf.info();
            }
            assertThrows(BpfException.class, () -> BpfProgram.load(ProgramSpec.of("bst_fd_bad", ProgramType.XDP, exitWithoutResult())));
            assertThrows(BpfException.class, () -> BtfHandle.load(new byte[] {1, 2, 3, 4}));
            assertThrows(BpfException.class, () -> BpfMap.fromId(Integer.MAX_VALUE));
            HostInventory.scan();
        }
        FeatureProbe.mapType(MapType.SK_STORAGE);
        FeatureProbe.mapType(MapType.HASH_OF_MAPS);
        FeatureProbe.programType(ProgramType.KPROBE);
        assertEquals(before, OpenFds.count());
    }
}
