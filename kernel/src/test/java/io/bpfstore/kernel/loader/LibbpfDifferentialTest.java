package io.bpfstore.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.PinDir;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Our loader against libbpf ({@code bpftool prog loadall}) on every example object (catalog, rejected/,
 * toolchains/): the same verdict, and for objects both accept the same translated instructions for every program,
 * the same maps and the same program-array contents (see {@link Differential}). Identical xlated code means the
 * relocations, CO-RE results and subprogram layout are libbpf's. Afterwards nothing we created is left.
 */
class LibbpfDifferentialTest {
    private static PinDir pins;
    private static Differential differential;

    @BeforeAll
    static void setUp() throws IOException {
        Oracles.requireRoot();
        pins = PinDir.create("loader-diff");
        differential = new Differential(pins);
    }

    @AfterAll
    static void tearDown() throws IOException, InterruptedException {
        if (pins != null) {
            pins.close();
        }
        if (differential != null) {
            assertFalse(differential.programs.isEmpty(), "no program was compared");
            Leftovers.assertGone(differential.programs, differential.maps);
            Leftovers.assertBtfGone(differential.btf);
        }
    }

    @TestFactory
    Stream<DynamicTest> sameVerdictAndCodeAsLibbpf() {
        return Objects.all().stream().map(path -> DynamicTest.dynamicTest(
                Objects.root().relativize(path).toString(), () -> differential.compare(path)));
    }
}
