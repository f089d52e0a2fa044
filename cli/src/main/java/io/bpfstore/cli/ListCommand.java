package io.bpfstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.install.api.InstallationView;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bpfstore list [--output json]}: the installations on this host. */
@Command(name = "list", description = "List the installations on this host.")
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InstallPlace place;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<InstallationView> all = place.installations(spec.commandLine().getErr()).list();
        if (output.json()) {
            ArrayNode array = Json.mapper().createArrayNode();
            all.forEach(i -> array.add(toJson(i)));
            Json.print(out, array);
        } else {
            Table table = new Table("NAME", "PACKAGE", "VERSION", "HOOK", "PROGRAMS", "PRIORITY", "INSTALLED");
            for (InstallationView i : all) {
                table.row(i.name(), i.repository(), i.version(), i.target(), String.join(",", i.programs()),
                        Integer.toString(i.priority()), i.installedAt());
            }
            table.print(out);
        }
        out.flush();
        return 0;
    }

    /** One installation as JSON (also used by {@code status}). */
    static ObjectNode toJson(InstallationView i) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("name", i.name());
        n.put("package", i.repository());
        n.put("version", i.version());
        n.put("digest", i.digest());
        n.put("source", i.source());
        n.put("signed_by", i.signedBy().orElse(null));
        n.put("hook", i.hook().label());
        n.put("target", i.target());
        ArrayNode programs = n.putArray("programs");
        i.programs().forEach(programs::add);
        n.put("priority", i.priority());
        ArrayNode proceed = n.putArray("proceed_on");
        i.proceedOn().forEach(proceed::add);
        n.put("forced", i.forced());
        n.put("generation", i.generation());
        n.put("installed_at", i.installedAt());
        return n;
    }
}
