package io.bpfstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.registry.storage.SearchPage;
import io.bpfstore.store.image.SearchQuery;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bpfstore search TEXT [--type T] [--output json]}: the store's search API (yanked versions excluded). */
@Command(name = "search", description = "Search the store for packages.")
final class SearchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TEXT", arity = "0..1", defaultValue = "", description = "words to look for")
    String text;

    @Option(names = "--type", paramLabel = "TYPE", description = "program type (xdp, tc, tcx, kprobe, tracepoint ...)")
    String type;

    @Option(names = "--hook", paramLabel = "ATTACH_TYPE", description = "attach type")
    String hook;

    @Option(names = "--helper", paramLabel = "NAME", description = "packages calling this helper")
    String helper;

    @Option(names = "--license", paramLabel = "SPDX", description = "licence")
    String license;

    @Option(names = "--page", paramLabel = "N", defaultValue = "1", description = "result page (default: 1)")
    int page;

    @Option(names = "--per-page", paramLabel = "N", defaultValue = "20", description = "results per page (default: 20)")
    int perPage;

    @Mixin
    RegistryOption registry;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        if (page < 1 || perPage < 1 || perPage > 100) {
            throw UserError.usage("--page must be at least 1 and --per-page between 1 and 100");
        }
        JsonNode result = registry.store().search(new SearchQuery(Optional.ofNullable(text),
                Optional.ofNullable(type), Optional.ofNullable(hook), Optional.ofNullable(helper),
                Optional.ofNullable(license), page, perPage));
        return output.print(result, out -> print(out, result));
    }

    private static void print(PrintWriter out, JsonNode result) {
        Table table = new Table("PACKAGE", "VERSION", "TYPES", "LICENSE", "DOWNLOADS", "DESCRIPTION");
        for (JsonNode r : result.path("results")) {
            List<String> types = new ArrayList<>();
            r.path("program_types").forEach(t -> types.add(t.asText()));
            String description = r.path("description").asText("");
            table.row(r.path("namespace").asText() + "/" + r.path("name").asText(), r.path("version").asText(),
                    types.isEmpty() ? "-" : String.join(",", types), r.path("license").asText("-"),
                    String.valueOf(r.path("downloads").asLong()),
                    description.length() > 60 ? description.substring(0, 57) + "..." : description);
        }
        table.print(out);
        // a registry at scale estimates or bounds large totals ("total_exact": false, "total_at_least");
        // older registries send no such fields
        boolean exact = result.path("total_exact").asBoolean(true);
        boolean atLeast = result.path("total_at_least").asBoolean(false);
        out.printf("%d of %s%d packages%n", result.path("results").size(),
                SearchPage.qualifier(exact, atLeast), result.path("total").asLong());
    }
}
