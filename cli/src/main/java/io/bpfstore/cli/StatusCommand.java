package io.bpfstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bpfstore status NAME}: an installation's programs, links and maps as the kernel reports them now. */
@Command(name = "status", description = "Show an installation's programs, links, maps and run statistics.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InstallPlace place;

    @Parameters(paramLabel = "NAME", description = "installation name")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default) or json")
    OutputFormat output = OutputFormat.text;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode s = InstallFamily.run(place, spec.commandLine().getErr(), in -> in.status(name));
        if (output == OutputFormat.json) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) s).remove("recovered");
            Json.print(out, s);
        } else {
            String proceed = String.join(",", s.path("proceed_on").valueStream().map(JsonNode::asText).toList());
            out.printf("%s: %s %s on %s, priority %d%s%s%n", s.path("name").asText(), s.path("package").asText(),
                    s.path("version").asText(), s.path("target").asText(), s.path("priority").asInt(),
                    proceed.isEmpty() ? "" : ", proceed on " + proceed, s.path("forced").asBoolean() ? " (forced)" : "");
            Table table = new Table("KIND", "NAME", "ID", "STATE", "RUNS", "RUN_NS", "DETAIL");
            for (JsonNode o : s.path("objects")) {
                table.row(o.path("kind").asText(), o.path("name").asText(), o.path("id").asText(),
                        o.path("alive").asBoolean() ? "ok" : "GONE", o.path("run_count").asText(),
                        o.path("run_time_ns").asText(), o.path("detail").asText());
            }
            table.print(out);
        }
        out.flush();
        return 0;
    }
}
