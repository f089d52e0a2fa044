package io.bpfstore.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.probe.HelperNames;
import io.bpfstore.kernel.probe.KernelFeatures;
import io.bpfstore.kernel.probe.ProbeCache;
import io.bpfstore.kernel.probe.Support;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bpfstore probe}: which program types, map types and helpers this kernel supports (cached per boot). */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Probe which eBPF program types, map types and helpers this kernel supports (needs root).")
public final class ProbeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = Json.mapper();

    @Mixin
    OutputOption output;

    @Option(names = "--cache-dir", description = "where probe results are cached per boot "
            + "(default: $BPFSTORE_CACHE_DIR, /var/cache/bpfstore for root, else $XDG_CACHE_HOME/bpfstore)")
    Path cacheDir;

    @Option(names = "--helpers", description = "in text output, list every helper name (default: counts only)")
    boolean listHelpers;

    @Option(names = "--refresh", description = "probe again even if this boot's results are cached")
    boolean refresh;

    @Override
    public Integer call() throws Exception {
        ProbeCache cache = new ProbeCache(cacheDir != null ? cacheDir : ProbeCache.defaultDirectory());
        KernelFeatures features = refresh ? cache.refresh() : cache.get();
        PrintWriter out = output.out();
        if (output.json()) {
            out.println(JSON.writeValueAsString(toJson(features)));
        } else {
            printText(out, features, listHelpers);
        }
        out.flush();
        return 0;
    }

    /** The features as JSON: {@code program_types}, {@code map_types} (name → verdict) and {@code helpers}. */
    static ObjectNode toJson(KernelFeatures f) {
        ObjectNode root = JSON.createObjectNode().put("kernel", f.kernelRelease()).put("boot_id", f.bootId());
        ObjectNode programs = root.putObject("program_types");
        f.programTypes().forEach((t, s) -> programs.put(t.bpftoolName(), s.name().toLowerCase(Locale.ROOT)));
        ObjectNode maps = root.putObject("map_types");
        f.mapTypes().forEach((t, s) -> maps.put(t.bpftoolName(), s.name().toLowerCase(Locale.ROOT)));
        ObjectNode helpers = root.putObject("helpers");
        f.helpers().forEach((t, ids) -> {
            ArrayNode list = helpers.putArray(t.bpftoolName());
            ids.forEach(id -> list.add(HelperNames.nameOf(id)));
        });
        ObjectNode misc = root.putObject("misc");
        f.misc().forEach((m, has) -> misc.put(m.kernelName(), has));
        ArrayNode skipped = root.putArray("skipped_helpers");
        f.skippedHelpers().forEach(id -> skipped.add(HelperNames.nameOf(id)));
        return root;
    }

    private static void printText(PrintWriter out, KernelFeatures f, boolean listHelpers) {
        out.println("Kernel " + f.kernelRelease() + " (boot " + f.bootId() + ")");
        out.println();
        verdicts(out, "Program types", f.programTypes(), ProgramType::kernelName);
        verdicts(out, "Map types", f.mapTypes(), MapType::kernelName);
        out.println("Verifier and instruction set:");
        f.misc().forEach((m, has) -> out.println("  " + m.kernelName() + ": " + (has ? "yes" : "no")));
        out.println();
        out.println("Helpers per program type:");
        f.helpers().forEach((t, ids) -> out.println("  " + t.bpftoolName() + ": " + ids.size() + " helpers"
                + (listHelpers ? ": " + ids.stream().map(HelperNames::nameOf).collect(Collectors.joining(" ")) : "")));
        out.println("  not probed (they write to the kernel log): "
                + f.skippedHelpers().stream().map(HelperNames::nameOf).collect(Collectors.joining(" ")));
    }

    private static <T> void verdicts(PrintWriter out, String title, Map<T, Support> verdicts, Function<T, String> name) {
        out.println(title + ":");
        for (Support support : Support.values()) {
            String names = verdicts.entrySet().stream().filter(e -> e.getValue() == support)
                    .map(e -> name.apply(e.getKey())).collect(Collectors.joining(" "));
            if (!names.isEmpty()) {
                String label = switch (support) {
                    case SUPPORTED -> "supported";
                    case UNSUPPORTED -> "unsupported";
                    case DENIED -> "denied (EPERM: the kernel has it, this caller may not use it)";
                };
                out.println("  " + label + ": " + names);
            }
        }
        out.println();
    }
}
