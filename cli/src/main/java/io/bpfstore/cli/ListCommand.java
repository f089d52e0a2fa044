package io.bpfstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bpfstore list [--output json]}: the installations on this host (through the agent when it runs). */
@Command(name = "list", description = "List the installations on this host.")
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InstallPlace place;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default) or json")
    OutputFormat output = OutputFormat.text;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode all = InstallFamily.run(place, spec.commandLine().getErr(), in -> in.list()).path("installations");
        if (output == OutputFormat.json) {
            Json.print(out, all);
        } else {
            Table table = new Table("NAME", "PACKAGE", "VERSION", "HOOK", "PROGRAMS", "PRIORITY", "INSTALLED");
            for (JsonNode i : all) {
                table.row(i.path("name").asText(), i.path("package").asText(), i.path("version").asText(),
                        i.path("target").asText(), String.join(",", i.path("programs").valueStream().map(JsonNode::asText)
                                .toList()), i.path("priority").asText(), i.path("installed_at").asText());
            }
            table.print(out);
        }
        out.flush();
        return 0;
    }
}
