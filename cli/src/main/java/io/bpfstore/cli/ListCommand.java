package io.bpfstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.install.Installation;
import io.bpfstore.install.Installer;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bpfstore list [--output json]}: the installations on this host. */
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
        try (Installer installer = place.open(spec.commandLine().getErr())) {
            List<Installation> all = installer.list();
            if (output == OutputFormat.json) {
                ArrayNode array = Json.mapper().createArrayNode();
                all.forEach(i -> array.add(toJson(i)));
                Json.print(out, array);
            } else {
                Table table = new Table("NAME", "PACKAGE", "VERSION", "HOOK", "PROGRAMS", "PRIORITY", "INSTALLED");
                for (Installation i : all) {
                    table.row(i.id(), i.pkg().repository(), i.pkg().version(), i.target().describe(),
                            String.join(",", i.programs()), Integer.toString(i.priority()), i.installedAt().toString());
                }
                table.print(out);
            }
            out.flush();
            return 0;
        }
    }

    /** One installation as JSON (also used by {@code status}). */
    static ObjectNode toJson(Installation i) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("name", i.id());
        n.put("package", i.pkg().repository());
        n.put("version", i.pkg().version());
        n.put("digest", i.pkg().digest());
        n.put("source", i.pkg().source());
        n.put("signed_by", i.pkg().signedBy().orElse(null));
        n.put("hook", i.target().kind());
        n.put("target", i.target().describe());
        ArrayNode programs = n.putArray("programs");
        i.programs().forEach(programs::add);
        n.put("priority", i.priority());
        ArrayNode proceed = n.putArray("proceed_on");
        i.proceedOn().forEach(proceed::add);
        n.put("forced", i.forced());
        n.put("generation", i.generation());
        n.put("installed_at", i.installedAt().toString());
        return n;
    }
}
