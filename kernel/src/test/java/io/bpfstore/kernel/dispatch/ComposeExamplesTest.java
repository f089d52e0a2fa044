package io.bpfstore.kernel.dispatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.TestRun;
import io.bpfstore.kernel.loader.LoadException;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.loader.Loader;
import io.bpfstore.kernel.testing.Leftovers;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.testsupport.ExampleObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every XDP entry program of the examples composes, alone and all together; the kernel (the verifier, then
 * BPF_PROG_TEST_RUN) and bpftool are the oracles.
 */
class ComposeExamplesTest {
    @RegisterExtension
    static final Leftovers LEFT = new Leftovers();

    private static LoadedObject load(TestObjects.ExampleEntry e) {
        return LEFT.load(e.object());
    }

    /** Alone in a dispatcher, each example returns what it returns standalone, and leaves the frame as it does. */
    @Test
    void eachExampleAloneBehavesAsStandalone() throws Exception {
        for (TestObjects.ExampleEntry e : TestObjects.exampleXdpEntries()) {
            try (LoadedObject loaded = load(e);
                 ComposedProgram composed = XdpComposer.compose(List.of(new XdpMember(e.label(), e.object(), e.program(),
                         0, Set.of(0, 1, 2, 3, 4), loaded.maps())), LoadOptions.defaults())) {
                LEFT.programs(List.of(composed.program().id()));
                assertTrue(XdpComposer.isDispatcher(composed.program().info()), e.label());
                BpfProgram standalone = loaded.program(e.program());
                for (byte[] frame : Frames.samples()) {
                    TestRun.Result expected = standalone.testRun(TestRun.of(frame));
                    TestRun.Result actual = composed.program().testRun(TestRun.of(frame));
                    // proceed on everything: the member's verdict is overridden by the final XDP_PASS
                    assertEquals(2, actual.returnValue(), e.label());
                    assertArrayEquals(expected.data(), actual.data(), e.label() + ": frame after the program");
                }
            }
            try (LoadedObject loaded = load(e);
                 ComposedProgram composed = XdpComposer.compose(List.of(new XdpMember(e.label(), e.object(), e.program(),
                         0, Set.of(), loaded.maps())), LoadOptions.defaults())) {
                LEFT.programs(List.of(composed.program().id()));
                BpfProgram standalone = loaded.program(e.program());
                for (byte[] frame : Frames.samples()) {
                    assertEquals(standalone.testRun(TestRun.of(frame)).returnValue(),
                            composed.program().testRun(TestRun.of(frame)).returnValue(), e.label() + ": verdict");
                }
            }
        }
    }

    /**
     * The examples' toolchain variants (cpu v4 from a newer clang, an object without BTF) compose with the plain
     * examples wherever they load standalone: BTF from two compilers merges, and a member without BTF makes the
     * composition load without any (verdicts still those of the standalone programs).
     */
    @Test
    void toolchainVariantsCompose() throws Exception {
        Path dir = ExampleObjects.resolve("toolchains");
        List<Path> variants;
        try (Stream<Path> files = Files.list(dir)) {
            variants = files.filter(f -> f.toString().endsWith(".o")).sorted().toList();
        }
        int composedCount = 0;
        for (Path p : variants) {
            BpfObject object = BpfObject.read(p);
            List<String> xdp = object.programs().stream().filter(pr -> pr.type().orElse(null) == ProgramType.XDP)
                    .map(pr -> pr.name()).toList();
            if (xdp.isEmpty()) {
                continue;
            }
            LoadedObject loaded;
            try {
                loaded = Loader.load(object, LoadOptions.defaults().withoutPinning());
            } catch (LoadException e) {
                continue; // big-endian or legacy objects: the loader's own tests cover their refusal
            }
            LEFT.programs(loaded.programs().values().stream().map(BpfProgram::id).toList());
            TestObjects.ExampleEntry plain = TestObjects.exampleXdpEntries().stream()
                    .filter(e -> e.program().equals("xdp_count")).findFirst().orElseThrow();
            try (loaded; LoadedObject plainLoaded = load(plain)) {
                for (String program : xdp) {
                    try (ComposedProgram composed = XdpComposer.compose(List.of(
                            new XdpMember("variant", object, program, 1, Set.of(2), loaded.maps()),
                            new XdpMember("plain", plain.object(), plain.program(), 2, Set.of(), plainLoaded.maps())),
                            LoadOptions.defaults())) {
                        LEFT.programs(List.of(composed.program().id()));
                        for (byte[] frame : Frames.samples()) {
                            int alone = loaded.program(program).testRun(TestRun.of(frame)).returnValue();
                            int expected = alone == 2 ? plainLoaded.program(plain.program()).testRun(TestRun.of(frame))
                                    .returnValue() : alone;
                            assertEquals(expected, composed.program().testRun(TestRun.of(frame)).returnValue(),
                                    p.getFileName() + "/" + program);
                        }
                        boolean btf = object.btf().isPresent();
                        int btfId = Oracles.bpftool("prog", "show", "id", Integer.toString(composed.program().id()))
                                .path("btf_id").asInt(0);
                        assertEquals(btf, btfId > 0, p.getFileName() + ": BTF only when every member has it");
                        composedCount++;
                    }
                }
            }
        }
        assertTrue(composedCount > 0, "no toolchain variant with an XDP program loads: " + variants);
    }

    /** All examples in one dispatcher: it loads, bpftool sees one XDP program using every member's maps. */
    @Test
    void allExamplesTogether() throws Exception {
        List<TestObjects.ExampleEntry> entries = TestObjects.exampleXdpEntries();
        List<LoadedObject> loaded = new ArrayList<>();
        try {
            List<XdpMember> members = new ArrayList<>();
            Set<Integer> mapIds = new HashSet<>();
            int priority = entries.size();
            for (TestObjects.ExampleEntry e : entries) {
                LoadedObject l = load(e);
                loaded.add(l);
                // reverse priorities: the order must come from priorities, not from the list
                members.add(new XdpMember(e.label(), e.object(), e.program(), priority--, Set.of(2), l.maps()));
                e.object().programs().stream().filter(p -> p.name().equals(e.program())).findFirst().orElseThrow()
                        .functions().forEach(f -> f.relocations().forEach(r -> {
                            BpfMap m = l.maps().get(r.symbol());
                            if (m != null) {
                                mapIds.add(m.id());
                            }
                        }));
            }
            try (ComposedProgram composed = XdpComposer.compose(members, LoadOptions.defaults())) {
                LEFT.programs(List.of(composed.program().id()));
                assertEquals(entries.reversed().stream().map(TestObjects.ExampleEntry::label).toList(), composed.order());
                JsonNode shown = Oracles.bpftool("prog", "show", "id", Integer.toString(composed.program().id()));
                assertEquals("xdp", shown.get("type").asText());
                assertEquals(XdpComposer.DISPATCHER_NAME, shown.get("name").asText());
                Set<Integer> shownMaps = new HashSet<>();
                shown.get("map_ids").forEach(n -> shownMaps.add(n.asInt()));
                assertTrue(shownMaps.containsAll(mapIds), "composed program uses " + shownMaps + ", members' maps " + mapIds);
                // bpftool reads the merged BTF: every member's entry is a function with its own prototype and lines
                assertTrue(shown.get("btf_id").asInt() > 0, "the dispatcher carries BTF: " + shown);
                String xlated = Oracles.run(List.of("bpftool", "prog", "dump", "xlated", "id",
                        Integer.toString(composed.program().id()), "linum"));
                assertTrue(xlated.contains("int bst_xdp_disp(void * ctx):"), xlated);
                for (TestObjects.ExampleEntry e : entries) {
                    assertTrue(xlated.contains(" " + e.program() + "(struct xdp_md * ctx):"), e.program() + " in\n" + xlated);
                    assertTrue(xlated.contains("/" + e.object().name() + ".c line_num:"), "line info of " + e.object().name());
                }
                for (byte[] frame : Frames.samples()) {
                    composed.program().testRun(TestRun.of(frame)); // runs without fault
                }
            }
        } finally {
            loaded.forEach(LoadedObject::close);
        }
    }
}
