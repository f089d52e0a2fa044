package io.bpfstore.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.bpfstore.agent.api.Installations;
import io.bpfstore.install.api.InstallationView;
import java.io.IOException;
import java.io.PrintWriter;
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
        return run(place.installations(output.err()), output.out());
    }

    /** Lists through {@code installations} and prints (also {@link AgentShortcut}'s path). */
    int run(Installations installations, PrintWriter out) {
        List<InstallationView> all = installations.list();
        return output.write(out, g -> {
            g.writeStartArray();
            for (InstallationView i : all) {
                g.writeStartObject();
                fields(g, i);
                g.writeEndObject();
            }
            g.writeEndArray();
        }, o -> {
            Table table = new Table("NAME", "PACKAGE", "VERSION", "HOOK", "PROGRAMS", "PRIORITY", "INSTALLED");
            for (InstallationView i : all) {
                table.row(i.name(), i.repository(), i.version(), i.target(), String.join(",", i.programs()),
                        Integer.toString(i.priority()), i.installedAt());
            }
            table.print(o);
        });
    }

    /** One installation's fields as JSON, into the object {@code g} is in (also used by install, upgrade, status). */
    static void fields(JsonGenerator g, InstallationView i) throws IOException {
        g.writeStringField("name", i.name());
        g.writeStringField("package", i.repository());
        g.writeStringField("version", i.version());
        g.writeStringField("digest", i.digest());
        g.writeStringField("source", i.source());
        g.writeStringField("signed_by", i.signedBy().orElse(null));
        g.writeStringField("hook", i.hook().label());
        g.writeStringField("target", i.target());
        strings(g, "programs", i.programs());
        g.writeNumberField("priority", i.priority());
        strings(g, "proceed_on", i.proceedOn());
        g.writeBooleanField("forced", i.forced());
        g.writeNumberField("generation", i.generation());
        g.writeStringField("installed_at", i.installedAt());
    }

    /** {@code "field": [values]}. */
    static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /** {@code "installation": {...}}: the field install and upgrade print their installation under. */
    static void installation(JsonGenerator g, InstallationView i) throws IOException {
        g.writeObjectFieldStart("installation");
        fields(g, i);
        g.writeEndObject();
    }
}
