package io.bpfstore.cli;

import io.bpfstore.bytecode.Reportable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.bytecode.object.ProgramTypes;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.link.Interface;
import io.bpfstore.kernel.loader.LoadAndAttach;
import io.bpfstore.kernel.loader.LoadAndAttach.Verdict;
import io.bpfstore.kernel.loader.LoadException;
import io.bpfstore.kernel.sys.UnsupportedPlatformException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfstore load FILE.o}: parses its options into one call of {@link LoadAndAttach#run} (load every program
 * and report the kernel's verdict per program, or load and attach one to a hook) and prints the result.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Load every program of an object into this kernel (verifier verdicts); pins and attaches nothing"
                + " unless asked (--attach, --pin). Exit 0 only when the kernel accepts every program. Needs root.")
public final class LoadCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = Json.mapper();

    @Parameters(index = "0", paramLabel = "FILE.o", description = "the eBPF object file")
    Path file;

    @Option(names = "--netns", paramLabel = "NS",
            description = "load from inside this network namespace (a name under /run/netns, or a path)")
    String netns;

    @Option(names = "--attach", paramLabel = "HOOK",
            description = "after loading, attach the object's program of that kind: xdp, tcx-ingress or tcx-egress"
                    + " (needs --iface; inside --netns when given)")
    String attach;

    @Option(names = "--iface", paramLabel = "IF", description = "the interface for --attach")
    String iface;

    @Option(names = "--program", paramLabel = "NAME",
            description = "which program to attach (default: the only one whose type fits the hook)")
    String programName;

    @Option(names = "--pin", paramLabel = "PATH",
            description = "pin the link under bpffs so the attachment outlives this command (else it ends with it)")
    Path pin;

    @Option(names = "--type", paramLabel = "[PROGRAM=]TYPE",
            description = "program type for programs whose section names none (e.g. iproute2's 'prog'), or with"
                    + " PROGRAM= for one program; bpftool's names: xdp, sched_cls, sched_act, socket_filter, ...")
    List<String> types = new ArrayList<>();

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "set a global variable of .rodata/.data (const volatile configuration) before load,"
                    + " typed from BTF: integers, bool, char, enum names, strings for char arrays")
    java.util.Map<String, String> globals = new java.util.LinkedHashMap<>();

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws Exception {
        ProgramTypes programTypes;
        try {
            programTypes = ProgramTypes.parse(types);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        Optional<LoadAndAttach.Attach> hook = attachment();
        LoadAndAttach.Result result;
        try {
            result = LoadAndAttach.run(file, new LoadAndAttach.Options(programTypes, globals,
                    netns == null ? Netns.CURRENT : Netns.at(namespace()), hook));
        } catch (LoadException | BpfException e) {
            throw new UserError(ErrorReporter.firstLine(e.getMessage()), e);
        } catch (UnsupportedPlatformException e) {
            throw new UserError(e.getMessage(), e);
        }
        PrintWriter out = output.out();
        if (result.attached().isPresent()) {
            LoadAndAttach.Attached a = result.attached().get();
            Terminal.printf(out, "attached %s (%s) to %s%s as link %d%s%n", a.program(), a.hook().label(), iface,
                    netns == null ? "" : " (netns " + netns + ")", a.linkId(),
                    a.pin().map(p -> ", pinned at " + p).orElse("; detached again on exit (use --pin to keep it)"));
        } else if (output.json()) {
            out.println(JSON.writeValueAsString(json(result)));
        } else {
            print(out, result.verdicts());
        }
        out.flush();
        return result.accepted() ? 0 : Reportable.ERROR;
    }

    /** The attachment {@code --attach}, {@code --iface}, {@code --program} and {@code --pin} ask for, if any. */
    private Optional<LoadAndAttach.Attach> attachment() {
        if (attach == null) {
            if (iface != null || pin != null || programName != null) {
                throw UserError.usage("--iface, --program and --pin go with --attach");
            }
            return Optional.empty();
        }
        LoadAndAttach.Hook hook = LoadAndAttach.Hook.labelled(attach).orElseThrow(() ->
                UserError.usage("unknown --attach " + attach + " (expected xdp, tcx-ingress or tcx-egress)"));
        if (iface == null) {
            throw UserError.usage("--attach " + attach + " needs --iface");
        }
        return Optional.of(new LoadAndAttach.Attach(hook, Interface.named(iface), Optional.ofNullable(programName),
                Optional.ofNullable(pin)));
    }

    private Path namespace() {
        Path ns = Netns.file(netns);
        if (!Files.exists(ns)) {
            throw new UserError("network namespace " + netns + ": " + ns + " does not exist");
        }
        return ns;
    }

    private static void print(PrintWriter out, List<Verdict> verdicts) {
        Table table = new Table("PROGRAM", "TYPE", "VERDICT", "INSNS");
        for (Verdict v : verdicts) {
            table.row(v.name(), v.type(), v.accepted() ? "accepted" : "rejected",
                    v.accepted() ? Integer.toString(v.instructions()) : "-");
        }
        table.print(out);
        for (Verdict v : verdicts) {
            if (!v.accepted()) {
                Terminal.println(out, v.message());
            }
        }
    }

    private static ObjectNode json(LoadAndAttach.Result result) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", result.object());
        root.put("accepted", result.accepted());
        ArrayNode programs = root.putArray("programs");
        for (Verdict v : result.verdicts()) {
            ObjectNode p = programs.addObject();
            p.put("name", v.name());
            p.put("type", v.type());
            p.put("verdict", v.accepted() ? "accepted" : "rejected");
            if (v.accepted()) {
                p.put("instructions", v.instructions());
            } else {
                p.put("message", v.message());
                v.source().ifPresent(s -> {
                    ObjectNode src = p.putObject("source");
                    src.put("file", s.file());
                    src.put("line", s.line());
                    src.put("text", s.text());
                });
            }
        }
        return root;
    }
}
