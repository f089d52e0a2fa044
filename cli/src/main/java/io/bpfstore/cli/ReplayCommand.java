package io.bpfstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.analysis.clash.CheckedPackage;
import io.bpfstore.vm.Compiler;
import io.bpfstore.vm.Executor;
import io.bpfstore.vm.Interpreter;
import io.bpfstore.vm.capture.CaptureException;
import io.bpfstore.vm.capture.CaptureReader;
import io.bpfstore.vm.capture.CapturedPacket;
import io.bpfstore.vm.capture.PcapWriter;
import io.bpfstore.vm.replay.Hook;
import io.bpfstore.vm.replay.Replay;
import io.bpfstore.vm.replay.ReplayException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfstore replay PACKAGE... --pcap FILE}: runs packages as an XDP chain, in the given order, on the
 * packets of a capture in bpfstore's userspace eBPF VM (no root, nothing attached); a thin shell over
 * {@link Replay}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Run packages (object files or registry packages), first = runs first, as an XDP chain on the "
                + "packets of a pcap or pcapng capture, in a userspace eBPF VM: no root, nothing attached. Shows each "
                + "packet's verdict, the package that ended the chain, the bytes changed and redirect targets; "
                + "verdict counts per package; maps afterwards."})
public final class ReplayCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PACKAGE", description = "object files or NAMESPACE/NAME[@VERSION] "
            + "packages of the registry, in chain order")
    List<String> packages;

    @Option(names = "--pcap", required = true, paramLabel = "FILE", description = "the capture (pcap or pcapng, Ethernet)")
    Path pcap;

    @Option(names = "--hook", paramLabel = "HOOK", defaultValue = "xdp", description = "the hook: xdp (default), "
            + "tc-ingress or tc-egress (a tcx chain: TCX_NEXT hands the packet on)")
    String hook;

    @Option(names = "--proceed-on", paramLabel = "ACTIONS", split = ",", description = "XDP actions on which the "
            + "next package runs (default: pass,dispatcher_return, as the composed dispatcher)")
    List<String> proceedOn;

    @Option(names = "--order-diff", description = "also run every order of the packages and list the packets "
            + "whose outcome differs between orders")
    boolean orderDiff;

    @Option(names = "--out", paramLabel = "FILE.pcap", description = "write the packets that left the chain "
            + "(passed, transmitted or redirected), as the chain left them")
    Path out;

    @Option(names = "--maps", paramLabel = "FILE.json", description = "initial map contents: a JSON list of "
            + "{\"package\", \"map\", \"key\", \"value\"} (hex bytes, as the JSON output prints them)")
    Path maps;

    @Option(names = "--map-from", paramLabel = "PACKAGE:MAP=PIN", description = "copy a live pinned map's entries "
            + "into a package's map before the replay (root), e.g. fw.o:deny_dst_port=/sys/fs/bpf/fw/deny_dst_port")
    List<String> mapFrom;

    @Option(names = "--summary", description = "print only the summary (verdict counts, maps, order diff), not "
            + "one line per packet: for large captures")
    boolean summary;

    @Option(names = "--interpreter", description = "run in the reference interpreter instead of the compiled form")
    boolean interpreter;

    @Option(names = "--registry", paramLabel = "URL", description = "registry of the named packages")
    String registry;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws IOException {
        Hook at;
        try {
            at = Hook.parse(hook);
        } catch (ReplayException e) {
            throw new UserError("--hook: " + e.getMessage());
        }
        if (proceedOn != null && at != Hook.XDP) {
            throw new UserError("--proceed-on is for XDP chains; a tc chain hands a packet on when a program returns TCX_NEXT (-1)");
        }
        List<Replay.Member> chain = new ArrayList<>();
        for (CheckedPackage p : CheckedPackages.read(packages, Optional.ofNullable(registry))) {
            try {
                Replay.Member m = Replay.Member.of(p.name(), p.object(), at);
                chain.add(proceedOn == null ? m : new Replay.Member(m.name(), m.object(), m.program(), actions(proceedOn)));
            } catch (ReplayException e) {
                throw new UserError(e.getMessage());
            }
        }
        List<CapturedPacket> packets;
        try {
            packets = CaptureReader.read(pcap);
        } catch (CaptureException e) {
            throw new UserError(e.getMessage());
        }
        List<Replay.InitialEntry> initial = new ArrayList<>(ReplayMaps.fromJson(maps));
        initial.addAll(ReplayMaps.fromPins(mapFrom == null ? List.of() : mapFrom));
        Executor executor = interpreter ? new Interpreter() : new Compiler();
        Replay.Result result;
        List<Integer> differing = List.of();
        try {
            result = Replay.run(chain, packets, executor, at, initial);
            if (orderDiff) {
                differing = Replay.orderDiff(chain, packets, executor, at, initial);
            }
        } catch (ReplayException e) {
            throw new UserError(e.getMessage());
        }
        if (out != null) {
            List<CapturedPacket> left = new ArrayList<>();
            for (Replay.PacketOutcome p : result.packets()) {
                if (at.leaves(p.verdict())) {
                    CapturedPacket in = packets.get(p.index());
                    left.add(new CapturedPacket(in.timestampNanos(), p.output(), p.output().length));
                }
            }
            PcapWriter.write(out, left);
        }
        PrintWriter w = output.out();
        if (output.json()) {
            Json.print(w, json(result, differing, orderDiff, summary));
        } else {
            text(w, result, differing, summary);
        }
        w.flush();
        return 0;
    }

    private static Set<Long> actions(List<String> names) {
        Set<Long> set = new HashSet<>();
        for (String n : names) {
            set.add(switch (n.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "aborted" -> 0L;
                case "drop" -> 1L;
                case "pass" -> 2L;
                case "tx" -> 3L;
                case "redirect" -> 4L;
                case "dispatcher_return" -> Replay.DISPATCHER_RETURN;
                default -> throw new UserError("--proceed-on: unknown XDP action \"" + n
                        + "\" (aborted, drop, pass, tx, redirect, dispatcher_return)");
            });
        }
        return set;
    }

    private static String ranges(List<int[]> changed) {
        return changed.stream().map(r -> r[0] + (r[1] > 1 ? "-" + (r[0] + r[1] - 1) : "")).reduce((a, b) -> a + "," + b)
                .orElse("-");
    }

    private static void text(PrintWriter w, Replay.Result result, List<Integer> differing, boolean summary) {
        if (!summary) {
            packetTable(w, result);
        }
        Terminal.println(w, "verdicts: " + result.verdicts());
        summaryLines(w, result, differing);
    }

    private static void packetTable(PrintWriter w, Replay.Result result) {
        Table table = new Table("PACKET", "VERDICT", "ENDED BY", "BYTES CHANGED", "REDIRECT");
        for (Replay.PacketOutcome p : result.packets()) {
            table.row(String.valueOf(p.index()), p.verdictName() + p.fault().map(f -> " (fault)").orElse(""),
                    p.endedBy().map(e -> e.pkg() + " " + e.program()).orElse("-"), ranges(p.changed()),
                    p.redirect().map(r -> r.via() + " " + r.target()).orElse("-"));
        }
        table.print(w);
        w.println();
    }

    private static void summaryLines(PrintWriter w, Replay.Result result, List<Integer> differing) {
        result.verdictsByPackage().forEach((pkg, v) -> Terminal.println(w, "  " + pkg + ": " + v));
        for (Replay.PacketOutcome p : result.packets()) {
            p.fault().ifPresent(f -> Terminal.println(w, "packet " + p.index() + ": " + f));
        }
        for (Replay.MapContents m : result.maps()) {
            if (!m.entries().isEmpty() && !m.map().startsWith(".")) {
                Terminal.println(w, "map " + m.pkg() + " " + m.map() + ": " + m.entries().size() + " entries");
            }
        }
        if (!differing.isEmpty()) {
            w.println("order-dependent packets: " + differing);
        }
    }

    private static ObjectNode json(Replay.Result result, List<Integer> differing, boolean orderDiff, boolean summary) {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode verdicts = root.putObject("verdicts");
        result.verdicts().forEach(verdicts::put);
        ObjectNode byPackage = root.putObject("verdicts_by_package");
        result.verdictsByPackage().forEach((pkg, v) -> {
            ObjectNode n = byPackage.putObject(pkg);
            v.forEach(n::put);
        });
        ArrayNode packets = root.putArray("packets");
        for (Replay.PacketOutcome p : summary ? List.<Replay.PacketOutcome>of() : result.packets()) {
            ObjectNode n = packets.addObject();
            n.put("index", p.index());
            n.put("verdict", p.verdictName());
            if (p.endedBy().isPresent()) {
                ObjectNode e = n.putObject("ended_by");
                e.put("package", p.endedBy().get().pkg());
                e.put("program", p.endedBy().get().program());
            } else {
                n.putNull("ended_by");
            }
            ArrayNode changed = n.putArray("changed");
            p.changed().forEach(r -> changed.addObject().put("offset", r[0]).put("length", r[1]));
            p.redirect().ifPresent(r -> n.putObject("redirect").put("via", r.via()).put("target", r.target()));
            p.fault().ifPresent(f -> n.put("fault", f));
        }
        ArrayNode maps = root.putArray("maps");
        for (Replay.MapContents m : result.maps()) {
            ObjectNode n = maps.addObject();
            n.put("package", m.pkg());
            n.put("map", m.map());
            ArrayNode entries = n.putArray("entries");
            for (Map.Entry<String, List<String>> e : m.entries().entrySet()) {
                ObjectNode entry = entries.addObject();
                entry.put("key", e.getKey());
                if (e.getValue().size() == 1) {
                    entry.put("value", e.getValue().getFirst());
                } else {
                    e.getValue().forEach(entry.putArray("values")::add);
                }
            }
        }
        if (orderDiff) {
            differing.forEach(root.putArray("order_diff")::add);
        }
        return root;
    }
}
