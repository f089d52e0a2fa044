package io.bpfstore.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.analysis.clash.CheckedPackage;
import io.bpfstore.analysis.clash.ClashDetector;
import io.bpfstore.analysis.clash.ClashReport;
import io.bpfstore.analysis.clash.Finding;
import io.bpfstore.analysis.clash.Hook;
import io.bpfstore.analysis.clash.HostView;
import io.bpfstore.analysis.clash.Subject;
import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.NetworkNamespace;
import io.bpfstore.kernel.PinnedObject;
import io.bpfstore.kernel.ProgramInfo;
import io.bpfstore.kernel.inventory.HostInventory;
import io.bpfstore.kernel.inventory.NetworkAttachments;
import io.bpfstore.kernel.inventory.TcxAttachment;
import io.bpfstore.kernel.netlink.InterfaceDump;
import io.bpfstore.kernel.netlink.TcFilter;
import io.bpfstore.kernel.netlink.XdpAttachment;
import io.bpfstore.kernel.probe.KernelFeatures;
import io.bpfstore.kernel.probe.ProbeCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfstore check}: whether packages, in priority order, would clash with each other or with what runs on
 * the host; a thin shell over {@link ClashDetector}. The host view is read here, because the analysis module does
 * not depend on the kernel module.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check packages (object files for now), first = runs first on a shared hook, for clashes with "
                + "each other and, with --host, with this kernel and the programs attached to --iface.",
                "Exit status: 0 no error, 2 clash errors found, 1 bad input."})
public final class CheckCommand implements Callable<Integer> {
    /** Exit code when the report holds at least one error. */
    static final int CLASH = 2;
    private static final ObjectMapper JSON = Json.mapper();
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PACKAGE", description = "package object files, in priority order")
    List<Path> packages;

    @Option(names = "--host", description = "also check against this kernel and the programs already attached")
    boolean host;

    @Option(names = "--netns", paramLabel = "NS", description = "network namespace of --iface (name under /run/netns "
            + "or a path such as /proc/PID/ns/net)")
    String netns;

    @Option(names = "--iface", paramLabel = "IF", description = "the interface the network programs will attach to")
    String iface;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    @Option(names = "--pin-root", paramLabel = "DIR", defaultValue = "/sys/fs/bpf",
            description = "where maps pinned by name go (libbpf's default: ${DEFAULT-VALUE})")
    Path pinRoot;

    @Option(names = "--cache-dir", description = "where kernel probe results are cached per boot")
    Path cacheDir;

    @Override
    public Integer call() throws Exception {
        if (netns != null && iface == null) {
            throw new UserError("--netns needs --iface: the namespace is where that interface lives");
        }
        if (!host && iface != null) {
            throw new UserError("--iface needs --host: without it the host is not read");
        }
        List<CheckedPackage> checked = new ArrayList<>();
        for (Path p : packages) {
            checked.add(new CheckedPackage(p.getFileName().toString(), BpfObject.read(p)));
        }
        HostView view = host ? readHost(checked) : HostView.none();
        ClashReport report = ClashDetector.check(checked, view);
        PrintWriter out = spec.commandLine().getOut();
        if (output == OutputFormat.json) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(report)));
        } else {
            report.lines().forEach(out::println);
        }
        out.flush();
        return report.hasErrors() ? CLASH : 0;
    }

    private HostView readHost(List<CheckedPackage> checked) throws IOException {
        ProbeCache cache = new ProbeCache(cacheDir != null ? cacheDir : ProbeCache.defaultDirectory());
        HostView.KernelSupport kernel = support(cache.get(), kfuncLookup());
        List<HostView.HookOccupant> occupants = new ArrayList<>();
        if (iface != null) {
            NetworkAttachments attachments = netns == null ? NetworkAttachments.scan()
                    : NetworkNamespace.run(namespaceFile(netns), NetworkAttachments::scan);
            HostInventory inventory = HostInventory.scan();
            boolean found = false;
            for (XdpAttachment a : attachments.xdp()) {
                if (a.device().equals(iface)) {
                    found = true;
                    occupants.add(occupant(Hook.XDP, a.programId(), inventory));
                }
            }
            for (TcxAttachment a : attachments.tcx()) {
                if (a.device().equals(iface)) {
                    Hook hook = a.attachType().name().endsWith("EGRESS") ? Hook.TC_EGRESS : Hook.TC_INGRESS;
                    occupants.add(occupant(hook, a.programId(), inventory));
                }
            }
            for (TcFilter f : attachments.tc()) {
                if (f.device().equals(iface)) {
                    Hook hook = f.direction() == TcFilter.Direction.EGRESS ? Hook.TC_EGRESS : Hook.TC_INGRESS;
                    occupants.add(occupant(hook, f.programId(), inventory));
                }
            }
            if (!found && occupants.isEmpty() && !interfaceExists()) {
                throw new UserError("no interface " + iface + (netns == null ? "" : " in netns " + netns));
            }
        }
        return new HostView(Optional.of(kernel), Optional.ofNullable(iface), netns == null ? "" : netns, occupants,
                pins(checked));
    }

    /** The maps already pinned where the packages' pinned-by-name maps would go. */
    private Map<String, HostView.PinnedMap> pins(List<CheckedPackage> checked) {
        Map<String, HostView.PinnedMap> pins = new java.util.HashMap<>();
        HostInventory inventory = null;
        for (CheckedPackage pkg : checked) {
            for (MapDefinition m : pkg.object().maps()) {
                if (m.pinning() != MapDefinition.PIN_BY_NAME || pins.containsKey(m.name())) {
                    continue;
                }
                Path path = pinRoot.resolve(m.name());
                Optional<PinnedObject> pin = PinnedObject.read(path).filter(p -> p.kind() == PinnedObject.Kind.MAP);
                if (pin.isEmpty()) {
                    continue;
                }
                inventory = inventory != null ? inventory : HostInventory.scan();
                inventory.map(pin.get().id()).ifPresent(i -> pins.put(m.name(), new HostView.PinnedMap(path.toString(),
                        i.id(), i.name(), i.typeNumber(), i.keySize(), i.valueSize(), i.maxEntries(), i.flags())));
            }
        }
        return pins;
    }

    /** Whether the interface exists, asked by netlink in its namespace (sysfs shows the mounter's namespace). */
    private boolean interfaceExists() {
        java.util.concurrent.Callable<Boolean> lookup = () -> InterfaceDump.read().stream()
                .anyMatch(i -> i.name().equals(iface));
        try {
            return netns == null ? lookup.call() : NetworkNamespace.run(namespaceFile(netns), lookup);
        } catch (Exception e) {
            throw new UserError("cannot list the interfaces" + (netns == null ? "" : " of netns " + netns), e);
        }
    }

    private static HostView.HookOccupant occupant(Hook hook, int programId, HostInventory inventory) {
        String name = inventory.program(programId).map(ProgramInfo::name).filter(n -> !n.isEmpty()).orElse("?");
        return new HostView.HookOccupant(hook, programId, name);
    }

    private static Path namespaceFile(String ns) {
        Path file = ns.contains("/") ? Path.of(ns) : Path.of("/run/netns", ns);
        if (!Files.exists(file)) {
            throw new UserError("no network namespace " + ns + " (" + file + " does not exist)");
        }
        return file;
    }

    /** The kernel's functions by name, from its BTF; without BTF every kfunc is reported missing. */
    private static Predicate<String> kfuncLookup() throws IOException {
        if (!Files.isReadable(VMLINUX)) {
            return name -> false;
        }
        Btf btf = Btf.parse(Files.readAllBytes(VMLINUX));
        return name -> btf.find(name, BtfType.Func.class).isPresent();
    }

    /** The probe result as the analysis module's view of it. */
    static HostView.KernelSupport support(KernelFeatures f, Predicate<String> kfuncs) {
        Set<ProgramType> programs = EnumSet.noneOf(ProgramType.class);
        f.programTypes().forEach((t, s) -> {
            if (s.usable()) {
                programs.add(t);
            }
        });
        Set<MapType> maps = EnumSet.noneOf(MapType.class);
        f.mapTypes().forEach((t, s) -> {
            if (s.usable()) {
                maps.add(t);
            }
        });
        Map<ProgramType, Set<Integer>> helpers = new EnumMap<>(ProgramType.class);
        f.helpers().forEach((t, ids) -> helpers.put(t, Set.copyOf(ids)));
        return new HostView.KernelSupport(programs, maps, helpers, f.skippedHelpers(), kfuncs, f.kernelRelease());
    }

    /** The report as JSON: packages, findings (class, severity, subjects, message, fix) and counts. */
    static ObjectNode toJson(ClashReport report) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode pkgs = root.putArray("packages");
        report.packages().forEach(pkgs::add);
        ArrayNode findings = root.putArray("findings");
        long errors = 0;
        for (Finding f : report.findings()) {
            ObjectNode n = findings.addObject();
            n.put("class", f.findingClass().label())
                    .put("severity", f.severity().name().toLowerCase(java.util.Locale.ROOT));
            ArrayNode subjects = n.putArray("subjects");
            for (Subject s : f.subjects()) {
                ObjectNode o = subjects.addObject();
                switch (s) {
                    case Subject.PackageRef p -> o.put("kind", "package").put("name", p.name());
                    case Subject.ProgramRef p -> o.put("kind", "program").put("package", p.pkg()).put("name", p.name());
                    case Subject.MapRef m -> o.put("kind", "map").put("package", m.pkg()).put("name", m.name());
                    case Subject.InterfaceRef i -> o.put("kind", "interface").put("name", i.name())
                            .put("netns", i.netns());
                    case Subject.ForeignProgram p -> o.put("kind", "foreign_program").put("id", p.id())
                            .put("name", p.name());
                    case Subject.ForeignMap m -> o.put("kind", "foreign_map").put("id", m.id())
                            .put("name", m.name()).put("path", m.path());
                    case Subject.Traffic t -> o.put("kind", "traffic").put("description", t.description());
                }
            }
            n.put("message", f.message()).put("fix", f.fix());
            if (f.severity() == io.bpfstore.analysis.clash.Severity.ERROR) {
                errors++;
            }
        }
        root.put("errors", errors).put("warnings", report.findings().size() - errors);
        return root;
    }
}
