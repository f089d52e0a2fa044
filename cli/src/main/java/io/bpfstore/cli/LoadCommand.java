package io.bpfstore.cli;

import io.bpfstore.bytecode.Reportable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.bytecode.object.ProgramTypes;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.kernel.link.Direction;
import io.bpfstore.kernel.link.Interface;
import io.bpfstore.kernel.link.Tcx;
import io.bpfstore.kernel.link.TcxOptions;
import io.bpfstore.kernel.link.Xdp;
import io.bpfstore.kernel.link.XdpOptions;
import io.bpfstore.kernel.loader.LoadException;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.loader.Loader;
import io.bpfstore.kernel.loader.ProgramRejectedException;
import io.bpfstore.kernel.loader.SourceLine;
import io.bpfstore.kernel.sys.UnsupportedPlatformException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code bpfstore load FILE.o}: loads every program of an object into this kernel with bpfstore's own loader and
 * reports the kernel's verdict per program. Pins nothing, attaches nothing, and closes everything before it exits.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Load every program of an object into this kernel (verifier verdicts); pins and attaches nothing"
                + " unless asked (--attach, --pin). Exit 0 only when the kernel accepts every program. Needs root.")
public final class LoadCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = Json.mapper();

    /** The verdict on one program. */
    record Verdict(String name, String type, boolean accepted, int instructions, String message,
                   Optional<SourceLine> source) {
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        BpfObject object;
        try {
            object = ProgramTypes.parse(types).applyTo(BpfObject.read(file));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        if (attach != null) {
            return attach(object);
        }
        if (iface != null || pin != null || programName != null) {
            throw UserError.usage("--iface, --program and --pin go with --attach");
        }
        List<Verdict> verdicts;
        try {
            LoadOptions options = LoadOptions.defaults().keepingGoing().withoutPinning().withGlobals(globals);
            verdicts = netns == null ? verdicts(object, options) : Netns.at(namespace()).run(() -> verdicts(object, options));
        } catch (LoadException | BpfException e) {
            throw new UserError(ErrorReporter.firstLine(e.getMessage()), e);
        } catch (UnsupportedPlatformException e) {
            throw new UserError(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output == OutputFormat.json) {
            out.println(JSON.writeValueAsString(json(object, verdicts)));
        } else {
            print(out, verdicts);
        }
        out.flush();
        return verdicts.stream().allMatch(Verdict::accepted) ? 0 : Reportable.ERROR;
    }

    /** Loads the object, attaches one program to the hook asked for, optionally pins the link, then closes all. */
    private int attach(BpfObject object) {
        HookKind hook = HookKind.parse(attach);
        if (iface == null) {
            throw UserError.usage("--attach " + attach + " needs --iface");
        }
        Program chosen = chooseProgram(object, hook);
        Netns ns = netns == null ? Netns.CURRENT : Netns.at(namespace());
        Interface device = Interface.named(iface);
        try (LoadedObject loaded = Loader.load(object, LoadOptions.defaults().withoutPinning().withGlobals(globals));
             BpfLink link = switch (hook) {
                 case XDP -> (BpfLink) Xdp.attach(loaded.program(chosen.name()), XdpOptions.of(device).inNetns(ns));
                 case TCX_INGRESS -> Tcx.attach(loaded.program(chosen.name()),
                         TcxOptions.of(device, Direction.INGRESS).inNetns(ns));
                 case TCX_EGRESS -> Tcx.attach(loaded.program(chosen.name()),
                         TcxOptions.of(device, Direction.EGRESS).inNetns(ns));
             }) {
            if (pin != null) {
                link.pin(pin);
            }
            PrintWriter out = spec.commandLine().getOut();
            Terminal.printf(out, "attached %s (%s) to %s%s as link %d%s%n", chosen.name(), hook.label, iface,
                    netns == null ? "" : " (netns " + netns + ")", link.id(),
                    pin == null ? "; detached again on exit (use --pin to keep it)" : ", pinned at " + pin);
            out.flush();
        } catch (LoadException | BpfException e) {
            throw new UserError(ErrorReporter.firstLine(e.getMessage()), e);
        }
        return 0;
    }

    private Program chooseProgram(BpfObject object, HookKind hook) {
        List<Program> fitting = object.programs().stream()
                .filter(p -> p.type().filter(hook.type::equals).isPresent()).toList();
        if (programName != null) {
            return fitting.stream().filter(p -> p.name().equals(programName)).findFirst().orElseThrow(() ->
                    new UserError("no " + hook.type.bpftoolName() + " program named " + programName + " in "
                            + file + " (has: " + fitting.stream().map(Program::name).toList() + ")"));
        }
        if (fitting.size() != 1) {
            throw new UserError(file + " has " + fitting.size() + " " + hook.type.bpftoolName()
                    + " programs " + fitting.stream().map(Program::name).toList() + "; choose one with --program");
        }
        return fitting.getFirst();
    }

    /** The hooks {@code --attach} knows. */
    private enum HookKind {
        XDP("xdp", ProgramType.XDP),
        TCX_INGRESS("tcx-ingress", ProgramType.SCHED_CLS),
        TCX_EGRESS("tcx-egress", ProgramType.SCHED_CLS);

        final String label;
        final ProgramType type;

        HookKind(String label, ProgramType type) {
            this.label = label;
            this.type = type;
        }

        static HookKind parse(String text) {
            for (HookKind k : values()) {
                if (k.label.equals(text)) {
                    return k;
                }
            }
            throw UserError.usage("unknown --attach " + text + " (expected xdp, tcx-ingress or tcx-egress)");
        }
    }

    private Path namespace() {
        Path ns = netns.contains("/") ? Path.of(netns) : Path.of("/run/netns", netns);
        if (!Files.exists(ns)) {
            throw new UserError("network namespace " + netns + ": " + ns + " does not exist");
        }
        return ns;
    }

    /** Loads the object, keeping going past refusals, and closes everything before returning. */
    static List<Verdict> verdicts(BpfObject object, LoadOptions options) {
        List<Verdict> out = new ArrayList<>();
        try (LoadedObject loaded = Loader.load(object, options)) {
            for (Program p : object.programs()) {
                String type = p.type().map(t -> ProgramType.nameOf(t.number())).orElse("unknown");
                BpfProgram program = loaded.programs().get(p.name());
                if (program != null) {
                    out.add(new Verdict(p.name(), type, true, program.info().bytesXlated() / 8, "", Optional.empty()));
                    continue;
                }
                RuntimeException refusal = loaded.rejections().get(p.name());
                Optional<SourceLine> line = refusal instanceof ProgramRejectedException r ? r.sourceLine() : Optional.empty();
                out.add(new Verdict(p.name(), type, false, 0, ErrorReporter.firstLine(refusal.getMessage()), line));
            }
        }
        return out;
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

    private static ObjectNode json(BpfObject object, List<Verdict> verdicts) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", object.name());
        root.put("accepted", verdicts.stream().allMatch(Verdict::accepted));
        ArrayNode programs = root.putArray("programs");
        for (Verdict v : verdicts) {
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
