package io.bpfstore.kernel.link;

import static io.bpfstore.kernel.testing.TestCode.returning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.ProgramSpec;
import io.bpfstore.kernel.netlink.TcFilter;
import io.bpfstore.kernel.testing.Leftovers;
import io.bpfstore.kernel.testing.TestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A legacy tc filter found again, replaced and deleted from its identity alone (as after a restart: no
 * {@link TcFilterAttachment} is used), next to a filter another tool ({@code tc filter add ... bpf da obj})
 * added first. tc's own JSON listing is the oracle for what is on the hook.
 */
class TcLegacyIdentityTest {
    @RegisterExtension
    static final Leftovers LEFT = new Leftovers();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void filterIsFoundReplacedAndDeletedByIdentityNeverTouchingAForeignOne() throws Exception {
        Path object = Path.of(System.getProperty("bpf.objects"), "tc_flow_bytes.o");
        assertTrue(Files.exists(object), object + " (the build compiles the examples)");
        try (TestNetwork net = TestNetwork.create();
             BpfProgram first = BpfProgram.load(ProgramSpec.of("bst_tc_first", ProgramType.SCHED_CLS, returning(0)));
             BpfProgram second = BpfProgram.load(ProgramSpec.of("bst_tc_second", ProgramType.SCHED_CLS, returning(0)))) {
            LEFT.programs(List.of(first.id(), second.id()));
            Interface dev = Interface.named("veth-a");
            assertFalse(TcLegacy.hasClsact(dev, net.a()));
            net.exec(net.nameA(), "tc", "qdisc", "add", "dev", "veth-a", "clsact");
            assertTrue(TcLegacy.hasClsact(dev, net.a()), "tc added it");
            assertFalse(TcLegacy.hasClsact(Interface.named("veth-b"), net.b()), "not on the peer");
            net.exec(net.nameA(), "tc", "filter", "add", "dev", "veth-a", "ingress", "pref", "50", "handle", "1", "bpf",
                    "da", "obj", object.toString(), "sec", "tc");
            JsonNode foreign = withOptions(net, 50).getFirst();
            int foreignProgram = foreign.path("options").path("prog").path("id").asInt();

            assertEquals(51, TcLegacy.freePriority(dev, net.a(), Direction.INGRESS, 50, 60), "50 is the foreign filter's");
            assertEquals(40, TcLegacy.freePriority(dev, net.a(), Direction.INGRESS, 40, 60));
            BpfException full = assertThrows(BpfException.class,
                    () -> TcLegacy.freePriority(dev, net.a(), Direction.INGRESS, 50, 50));
            assertTrue(full.getMessage().contains("priorities 50 to 50 are all taken"), full.getMessage());

            TcOptions clash = new TcOptions(dev, net.a(), Direction.INGRESS, 50, 1, "bst-clash");
            BpfException taken = assertThrows(BpfException.class, () -> TcLegacy.attach(first, clash));
            assertTrue(taken.getMessage().contains("already exists on this hook: program " + foreignProgram
                    + " \"tc_flow_bytes.o:[tc]\""), taken.getMessage());

            TcOptions ours = new TcOptions(dev, net.a(), Direction.INGRESS, 51, 1, "bst-ours");
            TcFilterAttachment added = TcLegacy.attach(first, ours);
            assertFalse(added.createdQdisc(), "tc created the qdisc");
            // from here on only the identity is used, as a later process would
            TcFilter found = TcLegacy.find(ours).orElseThrow();
            assertEquals(first.id(), found.programId());
            assertEquals(first.id(), withOptions(net, 51).getFirst().path("options").path("prog").path("id").asInt());
            assertTrue(TcLegacy.find(ours.withPriority(52, 1)).isEmpty());

            TcLegacy.replace(second, ours, first.id());
            assertEquals(second.id(), withOptions(net, 51).getFirst().path("options").path("prog").path("id").asInt(),
                    "tc shows the replaced program at the same priority and handle");
            TcLegacy.replace(second, ours, first.id()); // already there: nothing to do
            TcFilterChangedException changed = assertThrows(TcFilterChangedException.class,
                    () -> TcLegacy.detach(ours, first.id(), true));
            assertEquals(second.id(), changed.foundProgramId());
            assertEquals(1, withOptions(net, 51).size(), "a filter running another program is left alone");
            assertThrows(TcFilterChangedException.class, () -> TcLegacy.detach(clash, first.id(), true));

            assertTrue(TcLegacy.detach(ours, second.id(), true));
            assertEquals(List.of(), withOptions(net, 51));
            assertFalse(TcLegacy.detach(ours, second.id(), true), "gone already");
            assertEquals(foreignProgram, withOptions(net, 50).getFirst().path("options").path("prog").path("id").asInt(),
                    "the foreign filter is untouched");
            assertTrue(net.exec(net.nameA(), "tc", "qdisc", "show", "dev", "veth-a").contains("clsact"),
                    "the qdisc still holds the foreign filter");

            net.exec(net.nameA(), "tc", "filter", "del", "dev", "veth-a", "ingress", "pref", "50");
            TcLegacy.attach(first, ours);
            assertTrue(TcLegacy.detach(ours, first.id(), true));
            assertFalse(net.exec(net.nameA(), "tc", "qdisc", "show", "dev", "veth-a").contains("clsact"),
                    "an empty qdisc goes when asked");
            assertFalse(TcLegacy.hasClsact(dev, net.a()));
        }
    }

    /** tc's JSON entries with options (one per filter) at priority {@code pref} on veth-a ingress. */
    private static List<JsonNode> withOptions(TestNetwork net, int pref) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f : JSON.readTree(net.exec(net.nameA(), "tc", "-j", "filter", "show", "dev", "veth-a", "ingress"))) {
            if (f.has("options") && f.path("pref").asInt() == pref) {
                out.add(f);
            }
        }
        return out;
    }
}
