package io.bpfstore.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.object.ProgramTypes;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.kernel.link.Direction;
import io.bpfstore.kernel.link.Interface;
import io.bpfstore.kernel.link.Tcx;
import io.bpfstore.kernel.loader.LoadAndAttach.Attach;
import io.bpfstore.kernel.loader.LoadAndAttach.Attached;
import io.bpfstore.kernel.loader.LoadAndAttach.Hook;
import io.bpfstore.kernel.loader.LoadAndAttach.Options;
import io.bpfstore.kernel.loader.LoadAndAttach.Result;
import io.bpfstore.kernel.loader.LoadAndAttach.Verdict;
import io.bpfstore.kernel.testing.Leftovers;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.PinDir;
import io.bpfstore.kernel.testing.TestNetwork;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LoadAndAttach} against the kernel: verdicts from inside a test namespace (a rejected program with its
 * source line), XDP and tcx attachments on veth-a of a test namespace (bpftool, {@code ip link} and the kernel's
 * tcx query are the oracles), a pinned link that outlives the call, and the typed refusals when no single program
 * fits the hook. Nothing is left behind (bpftool, /run/netns, mounts).
 */
class LoadAndAttachTest {
    @RegisterExtension
    static final Leftovers LEFT = new Leftovers();

    private static Options options(TestNetwork net, Optional<Attach> attach) {
        return new Options(ProgramTypes.NONE, Map.of(), net.a(), attach);
    }

    private static Attach on(Hook hook, Optional<String> program, Optional<Path> pin) {
        return new Attach(hook, Interface.named("veth-a"), program, pin);
    }

    @Test
    void verdictsInsideANamespaceNameTheRefusalAndItsSourceLine() throws Exception {
        try (TestNetwork net = TestNetwork.create()) {
            Result ok = LoadAndAttach.run(Objects.root().resolve("xdp_counter.o"), options(net, Optional.empty()));
            assertEquals("xdp_counter", ok.object());
            assertTrue(ok.accepted());
            assertEquals(Optional.empty(), ok.attached());
            Verdict count = ok.verdicts().getFirst();
            assertEquals(List.of("xdp_count", "xdp"), List.of(count.name(), count.type()));
            assertTrue(count.instructions() > 0, count.toString());

            Result refused = LoadAndAttach.run(Objects.root().resolve("rejected/oob_packet_read.o"),
                    options(net, Optional.empty()));
            assertFalse(refused.accepted());
            Verdict v = refused.verdicts().getFirst();
            assertEquals(0, v.instructions());
            assertTrue(v.message().startsWith("load program \"xdp_oob_read\" (xdp): the verifier rejected it"), v.message());
            assertEquals("oob_packet_read.c", Path.of(v.source().orElseThrow().file()).getFileName().toString());
        }
    }

    @Test
    void xdpLinkEndsWithTheCallUnlessPinned() throws Exception {
        Path object = Objects.root().resolve("xdp_counter.o");
        try (TestNetwork net = TestNetwork.create(); PinDir pins = PinDir.create("load-attach")) {
            Result once = LoadAndAttach.run(object, options(net, Optional.of(on(Hook.XDP, Optional.empty(), Optional.empty()))));
            Attached a = once.attached().orElseThrow();
            LEFT.link(a.linkId());
            assertEquals(List.of("xdp_count", "true"), List.of(a.program(), Boolean.toString(once.accepted())));
            assertFalse(net.exec(net.nameA(), "ip", "link", "show", "veth-a").contains("prog/xdp"));

            Path pin = pins.resolve("xdp_link");
            Attached kept = LoadAndAttach.run(object, options(net, Optional.of(on(Hook.XDP, Optional.of("xdp_count"),
                    Optional.of(pin))))).attached().orElseThrow();
            JsonNode theirs = Oracles.bpftool("link", "show", "pinned", pin.toString());
            assertEquals("xdp", theirs.get("type").asText());
            assertEquals(kept.linkId(), theirs.get("id").asInt());
            assertEquals(Optional.of(pin), kept.pin());
            assertTrue(net.exec(net.nameA(), "ip", "link", "show", "veth-a").contains("name xdp_count"));
            try (BpfLink link = BpfLink.openPinned(pin)) {
                LEFT.programs(List.of(link.info().programId()));
                LEFT.link(link.id());
                link.detach();
            }
        }
    }

    @Test
    void tcxAttachesToTheDirectionAsked() throws Exception {
        Path object = Objects.root().resolve("tc_port_drop.o");
        try (TestNetwork net = TestNetwork.create(); PinDir pins = PinDir.create("load-tcx")) {
            for (Hook hook : List.of(Hook.TCX_INGRESS, Hook.TCX_EGRESS)) {
                Direction direction = hook == Hook.TCX_INGRESS ? Direction.INGRESS : Direction.EGRESS;
                Path pin = pins.resolve(hook.label());
                Attached a = LoadAndAttach.run(object, options(net, Optional.of(on(hook, Optional.empty(),
                        Optional.of(pin))))).attached().orElseThrow();
                assertEquals(List.of(a.linkId()), Tcx.query(Interface.named("veth-a"), net.a(), direction).linkIds());
                // bpftool 7.1 prints tcx links' type as a number (BPF_LINK_TYPE_TCX); the id is what matters here
                assertEquals(a.linkId(), Oracles.bpftool("link", "show", "pinned", pin.toString()).get("id").asInt());
                try (BpfLink link = BpfLink.openPinned(pin)) {
                    LEFT.programs(List.of(link.info().programId()));
                    LEFT.link(link.id());
                    link.detach();
                }
                assertEquals(List.of(), Tcx.query(Interface.named("veth-a"), net.a(), direction).linkIds());
            }
        }
    }

    @Test
    void noSingleFittingProgramIsATypedRefusal() throws Exception {
        Path tailCalls = Objects.root().resolve("tail_calls.o");
        try (TestNetwork net = TestNetwork.create()) {
            LoadException many = assertThrows(LoadException.class, () -> LoadAndAttach.run(tailCalls,
                    options(net, Optional.of(on(Hook.XDP, Optional.empty(), Optional.empty())))));
            assertTrue(many.getMessage().startsWith(tailCalls + " has 4 xdp programs ["), many.getMessage());
            assertTrue(many.getMessage().endsWith("; choose one with --program"), many.getMessage());
            LoadException named = assertThrows(LoadException.class, () -> LoadAndAttach.run(tailCalls,
                    options(net, Optional.of(on(Hook.XDP, Optional.of("nope"), Optional.empty())))));
            assertTrue(named.getMessage().startsWith("no xdp program named nope in " + tailCalls + " (has: ["),
                    named.getMessage());
            LoadException none = assertThrows(LoadException.class, () -> LoadAndAttach.run(tailCalls,
                    options(net, Optional.of(on(Hook.TCX_EGRESS, Optional.empty(), Optional.empty())))));
            assertEquals(tailCalls + " has 0 sched_cls programs []; choose one with --program", none.getMessage());
            BpfException device = assertThrows(BpfException.class, () -> LoadAndAttach.run(
                    Objects.root().resolve("xdp_counter.o"), new Options(ProgramTypes.NONE, Map.of(), net.a(),
                            Optional.of(new Attach(Hook.XDP, Interface.named("nope"), Optional.empty(), Optional.empty())))));
            assertTrue(device.getMessage().contains("there is no interface nope"), device.getMessage());
        }
        LoadException type = assertThrows(LoadException.class, () -> LoadAndAttach.run(tailCalls, new Options(
                ProgramTypes.parse(List.of("nope=xdp")), Map.of(), io.bpfstore.kernel.Netns.CURRENT, Optional.empty())));
        assertTrue(type.getMessage().startsWith("--type nope=xdp"), type.getMessage());
    }
}
