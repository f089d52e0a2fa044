package io.bpfstore.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.analysis.clash.CheckedPackage;
import io.bpfstore.analysis.clash.ClashDetector;
import io.bpfstore.analysis.clash.ClashReport;
import io.bpfstore.analysis.clash.Finding;
import io.bpfstore.analysis.clash.HostView;
import io.bpfstore.analysis.clash.Subject;
import io.bpfstore.bytecode.Reportable;
import io.bpfstore.install.HostClashCheck;
import io.bpfstore.kernel.probe.ProbeCache;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfstore check}: whether packages, in priority order, would clash with each other or with what runs on
 * the host; a thin shell over {@link ClashDetector}, with --host over install's {@link HostClashCheck}.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check packages (object files or registry packages), first = runs first on a shared hook, for clashes with "
                + "each other and, with --host, with this kernel and what already runs: the programs on --iface, "
                + "on --cgroup and its ancestors, on the namespace's flow dissector and sk_lookup hooks, pinned "
                + "maps, registered congestion controls, the memlock limit.",
                "Exit status: 0 no error, 2 clash errors found, 1 bad input."})
public final class CheckCommand implements Callable<Integer> {
    /** Exit code when the report holds at least one error. */
    static final int CLASH = Reportable.FINDINGS;
    private static final ObjectMapper JSON = Json.mapper();
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]i?B?|B)?", Pattern.CASE_INSENSITIVE);

    @Parameters(arity = "1..*", paramLabel = "PACKAGE", description = "object files, package directories (package"
            + " --out) or NAMESPACE/NAME[@VERSION] packages of the registry, in priority order")
    List<String> packages;

    @Option(names = "--registry", paramLabel = "URL", description = "registry of the named packages (default: "
            + "BPFSTORE_REGISTRY or the config file)")
    String registry;

    @Option(names = "--host", description = "also check against this kernel and the programs already attached "
            + "(bpfstore's own installations, per the state directory, are not foreign)")
    boolean host;

    @Mixin
    InstallPlace place;

    @Option(names = "--netns", paramLabel = "NS", description = "the network namespace the network programs go to "
            + "(name under /run/netns or a path such as /proc/PID/ns/net); default: this process's")
    String netns;

    @Option(names = "--iface", paramLabel = "IF", description = "the interface the network programs will attach to")
    String iface;

    @Option(names = "--cgroup", paramLabel = "DIR", description = "the cgroup v2 directory the cgroup programs will "
            + "attach to")
    Path cgroup;

    @Option(names = "--tc-priority", paramLabel = "PRIO", description = "attach tc programs as legacy tc filters at "
            + "this priority (default: tcx)")
    Integer tcPriority;

    @Option(names = "--tc-handle", paramLabel = "HANDLE", defaultValue = "0", description = "the legacy tc filter "
            + "handle (with --tc-priority; 0: the kernel picks one)")
    int tcHandle;

    @Option(names = "--budget", paramLabel = "BYTES", description = "the most map memory the packages may take "
            + "together, e.g. 64MiB (suffixes K, M, G, T: powers of 1024)")
    String budget;

    @Option(names = "--trial-load", description = "with --host: load the packages into the kernel (maps created, "
            + "nothing attached, all closed again) to learn how many instructions the verifier processes for each "
            + "program; programs near the limit of 1,000,000 get a warning")
    boolean trialLoad;

    @Mixin
    OutputOption output;

    @Option(names = "--pin-root", paramLabel = "DIR", defaultValue = "/sys/fs/bpf",
            description = "where maps pinned by name go (libbpf's default: ${DEFAULT-VALUE})")
    Path pinRoot;

    @Option(names = "--replay", paramLabel = "FILE.pcap", description = "back semantic findings (hidden traffic, "
            + "overwritten bytes) with the first packets of this capture that show them, replayed in the VM")
    Path replay;

    @Option(names = "--cache-dir", description = "where kernel probe results are cached per boot")
    Path cacheDir;

    @Override
    public Integer call() throws Exception {
        if (!host && (iface != null || netns != null || cgroup != null)) {
            throw UserError.usage("--iface, --netns and --cgroup need --host: without it the host is not read");
        }
        if (trialLoad && !host) {
            throw UserError.usage("--trial-load needs --host: it loads into this kernel");
        }
        if (tcPriority != null && (tcPriority < 1 || tcPriority > 0xffff)) {
            throw UserError.usage("--tc-priority must be 1..65535, not " + tcPriority);
        }
        OptionalLong limit = budget == null ? OptionalLong.empty() : OptionalLong.of(parseSize(budget));
        if (host && !trialLoad && replay == null && tcPriority == null && cacheDir == null
                && pinRoot.equals(Path.of("/sys/fs/bpf"))) {
            Optional<io.bpfstore.agent.client.AgentClient> agent = place.agent();
            if (agent.isPresent()) {
                return throughAgent(agent.get(), limit);
            }
        }
        List<CheckedPackage> checked = CheckedPackages.read(packages, Optional.ofNullable(registry));
        Optional<HostView.TcSlot> slot = tcPriority == null ? Optional.empty()
                : Optional.of(new HostView.TcSlot(tcPriority, tcHandle));
        ClashReport report;
        if (host) {
            report = place.service(output.err()).checkHost(checked, new HostClashCheck(Optional.ofNullable(netns),
                    Optional.ofNullable(iface), Optional.ofNullable(cgroup), pinRoot,
                    cacheDir != null ? cacheDir : ProbeCache.defaultDirectory(), limit, trialLoad, slot));
        } else {
            HostView view = HostView.none();
            if (limit.isPresent()) {
                view = view.withResources(HostView.Resources.UNKNOWN.withBudget(limit.getAsLong()));
            }
            report = ClashDetector.check(checked, slot.map(view::withTcSlot).orElse(view));
        }
        java.util.Map<Finding, List<Integer>> evidence = replay == null ? java.util.Map.of()
                : CheckEvidence.find(report, checked, replay);
        PrintWriter out = output.out();
        if (output.json()) {
            ObjectNode json = toJson(report);
            for (int i = 0; i < report.findings().size(); i++) {
                List<Integer> packets = evidence.get(report.findings().get(i));
                if (packets != null) {
                    packets.forEach(((ObjectNode) json.get("findings").get(i)).putArray("evidence")::add);
                }
            }
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } else {
            report.lines().forEach(line -> Terminal.println(out, line));
            CheckEvidence.print(out, report, evidence, replay);
        }
        out.flush();
        return report.hasErrors() ? CLASH : 0;
    }

    /** {@code check --host} answered by the agent (the same reader and detector, in the agent's process). */
    private int throughAgent(io.bpfstore.agent.client.AgentClient agent, OptionalLong limit) throws Exception {
        List<String> names = packages.stream().map(InstallPlace::absolute).toList();
        com.fasterxml.jackson.databind.JsonNode answer = agent.check(new io.bpfstore.agent.api.CheckRequest(names,
                Optional.ofNullable(registry), Optional.ofNullable(netns), Optional.ofNullable(iface),
                Optional.ofNullable(cgroup).map(Object::toString),
                limit.isPresent() ? Optional.of(limit.getAsLong()) : Optional.empty()));
        PrintWriter out = output.out();
        if (output.json()) {
            ObjectNode json = answer.deepCopy();
            json.remove("lines");
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } else {
            answer.path("lines").forEach(line -> Terminal.println(out, line.asText()));
        }
        out.flush();
        return answer.path("errors").asLong() > 0 ? CLASH : 0;
    }

    /** A byte count such as "65536", "64K", "64MiB" or "1G" (powers of 1024). */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw UserError.usage("--budget: not a size: \"" + text + "\" (e.g. 65536, 64K, 64MiB, 1G)");
        }
        int shift = m.group(2) == null ? 0 : switch (Character.toUpperCase(m.group(2).charAt(0))) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw UserError.usage("--budget: " + text + " is too large");
        }
    }

    /** The report as JSON: packages, findings (class, severity, subjects, message, fix) and counts. */
    static ObjectNode toJson(ClashReport report) {
        return io.bpfstore.agent.local.ClashJson.of(report);
    }
}
