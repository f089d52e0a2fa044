package io.bpfstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.install.api.InstallationView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bpfstore list [--output json]}: the installations on this host. */
@Command(name = "list", description = "List the installations on this host.")
final class ListCommand implements Callable<Integer> {
    @Mixin
    InstallPlace place;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        List<InstallationView> all = place.installations(output.err()).list();
        ArrayNode array = Json.mapper().createArrayNode();
        all.forEach(i -> array.add(toJson(i)));
        return output.print(array, out -> {
            Table table = new Table("NAME", "PACKAGE", "VERSION", "HOOK", "PROGRAMS", "PRIORITY", "INSTALLED");
            for (InstallationView i : all) {
                table.row(i.name(), i.repository(), i.version(), i.target(), String.join(",", i.programs()),
                        Integer.toString(i.priority()), i.installedAt());
            }
            table.print(out);
        });
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
