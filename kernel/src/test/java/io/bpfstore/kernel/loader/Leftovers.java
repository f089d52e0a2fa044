package io.bpfstore.kernel.loader;

import static org.junit.jupiter.api.Assertions.fail;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import java.util.ArrayList;
import java.util.List;

/** Checks that programs and maps a test created are gone once it closed them. */
final class Leftovers {
    private Leftovers() {
    }

    /**
     * Fails if any id still names a live object after a grace period: the kernel drops a program's maps only
     * after an RCU grace period following the program's release.
     */
    static void assertGone(List<Integer> programs, List<Integer> maps) throws InterruptedException {
        List<String> alive = new ArrayList<>();
        for (int attempt = 0; attempt < 50; attempt++) {
            alive.clear();
            for (int id : programs) {
                try (BpfProgram p = BpfProgram.fromId(id)) {
                    alive.add("program " + id + " (" + p.name() + ")");
                } catch (BpfException e) {
                    // gone, as it should be
                }
            }
            for (int id : maps) {
                try (BpfMap m = BpfMap.fromId(id)) {
                    alive.add("map " + id + " (" + m.info().name() + ")");
                } catch (BpfException e) {
                    // gone
                }
            }
            if (alive.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("left behind after close: " + alive);
    }

    /** Fails if a BTF object id is still alive after a grace period (programs hold their BTF until freed). */
    static void assertBtfGone(List<Integer> ids) throws InterruptedException {
        List<Integer> alive = new ArrayList<>();
        for (int attempt = 0; attempt < 50; attempt++) {
            alive.clear();
            for (int id : ids) {
                try (io.bpfstore.kernel.BtfHandle b = io.bpfstore.kernel.BtfHandle.fromId(id)) {
                    alive.add(id);
                } catch (BpfException e) {
                    // gone
                }
            }
            if (alive.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("BTF objects left behind after close: " + alive);
    }
}
