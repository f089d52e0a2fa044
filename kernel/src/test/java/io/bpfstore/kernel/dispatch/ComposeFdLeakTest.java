package io.bpfstore.kernel.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.loader.Loader;
import io.bpfstore.kernel.testing.OpenFds;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.testsupport.ExampleObjects;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Composing leaks no file descriptor, whatever the outcome: compositions that load (then closed), that the verifier
 * refuses, and that the linker refuses; the process's open descriptors (/proc/self/fd) are counted before and after.
 */
class ComposeFdLeakTest {
    @Test
    void everyOutcomeClosesWhatItOpened() throws Exception {
        Oracles.requireRoot();
        BpfObject counter = TestObjects.read("count_all");
        BpfObject rejected = BpfObject.read(ExampleObjects.resolve("rejected", "oob_packet_read.o"));
        try (LoadedObject maps = Loader.load(counter, LoadOptions.defaults().withoutPinning())) {
            Runnable round = () -> {
                try (ComposedProgram ok = XdpComposer.compose(List.of(
                        XdpMember.of("a", counter, "count_all", 1, maps.maps()),
                        XdpMember.of("b", counter, "count_all", 2, maps.maps())), LoadOptions.defaults())) {
                    ok.program().id();
                }
                assertThrows(CompositionRejectedException.class, () -> XdpComposer.compose(List.of(
                        XdpMember.of("a", counter, "count_all", 1, maps.maps()),
                        XdpMember.of("bad", rejected, rejected.programs().getFirst().name(), 2, Map.of())),
                        LoadOptions.defaults()));
                assertThrows(CompositionRejectedException.class, () -> XdpComposer.compose(List.of(
                        XdpMember.of("a", counter, "count_all", 1, Map.of())), LoadOptions.defaults()));
            };
            round.run(); // warm up: class loading, the kernel BTF cache
            long before = OpenFds.count();
            for (int i = 0; i < 5; i++) {
                round.run();
            }
            assertEquals(before, OpenFds.count(), "open file descriptors after composing again");
        }
    }

}
