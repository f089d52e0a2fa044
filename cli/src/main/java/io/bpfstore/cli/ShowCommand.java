package io.bpfstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.store.client.PackageReference;
import io.bpfstore.store.client.StoreClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bpfstore show NS/NAME[@VERSION]}: a package and its versions, or one version's metadata. */
@Command(name = "show", description = "Show a package's versions, or one version's programs, maps and requirements.")
final class ShowCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "NAMESPACE/NAME, optionally @VERSION")
    String name;

    @Mixin
    RegistryOption registry;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        PackageReference ref = PackageReference.parse(name);
        if (ref.digest().isPresent()) {
            throw UserError.usage("show takes NAMESPACE/NAME[@VERSION], not a digest");
        }
        StoreClient store = registry.store();
        JsonNode doc = ref.version().isPresent()
                ? store.version(ref.namespace(), ref.name(), ref.version().get())
                : store.packageInfo(ref.namespace(), ref.name());
        return output.print(doc, out -> {
            if (ref.version().isPresent()) {
                printVersion(out, doc);
            } else {
                printPackage(out, doc);
            }
        });
    }

    private static void printPackage(PrintWriter out, JsonNode doc) {
        Terminal.printf(out, "%s/%s — %s%n", doc.path("namespace").asText(), doc.path("name").asText(),
                doc.path("description").asText(""));
        Terminal.printf(out, "latest %s, %d downloads%n%n", doc.path("latest").asText("-"), doc.path("downloads").asLong());
        Table versions = new Table("VERSION", "PUBLISHED", "DOWNLOADS", "DIGEST", "");
        for (JsonNode v : doc.path("versions")) {
            versions.row(v.path("version").asText(), v.path("published_at").asText("-"),
                    String.valueOf(v.path("downloads").asLong()), v.path("digest").asText("-"),
                    v.path("yanked").asBoolean() ? "yanked" : "");
        }
        versions.print(out);
    }

    private static void printVersion(PrintWriter out, JsonNode doc) {
        Terminal.printf(out, "%s/%s %s%s%n", doc.path("namespace").asText(), doc.path("name").asText(),
                doc.path("version").asText(), doc.path("yanked").asBoolean() ? " (yanked)" : "");
        if (!doc.path("description").asText("").isEmpty()) {
            Terminal.println(out, doc.path("description").asText());
        }
        Terminal.printf(out, "license %s, %d downloads, published %s%n", doc.path("license").asText("-"),
                doc.path("downloads").asLong(), doc.path("published_at").asText("-"));
        Terminal.printf(out, "digest %s%n", doc.path("digest").asText("-"));
        JsonNode req = doc.path("requirements");
        Terminal.printf(out, "requires program types %s; map types %s; helpers %s; kfuncs %s; BTF %s%n",
                list(req.path("program_types")), list(req.path("map_types")), list(req.path("helpers")),
                list(req.path("kfuncs")), req.path("btf").asBoolean() ? "yes" : "no");
        if (!doc.path("permissions").isEmpty()) {
            Terminal.printf(out, "permissions %s%n", list(doc.path("permissions")));
        }
        out.println();
        Table programs = new Table("PROGRAM", "TYPE", "ATTACH TYPE", "INSNS", "HELPERS");
        for (JsonNode p : doc.path("programs")) {
            programs.row(p.path("name").asText(), p.path("type").asText(), p.path("attach_type").asText("-"),
                    String.valueOf(p.path("instructions").asLong()), list(p.path("helpers")));
        }
        programs.print(out);
        out.println();
        Table maps = new Table("MAP", "TYPE", "KEY", "VALUE", "MAX ENTRIES");
        for (JsonNode m : doc.path("maps")) {
            maps.row(m.path("name").asText(), m.path("type").asText(), m.path("key_size").asText(),
                    m.path("value_size").asText(), m.path("max_entries").asText());
        }
        maps.print(out);
    }

    private static String list(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(n -> items.add(n.asText()));
        return items.isEmpty() ? "-" : String.join(", ", items);
    }
}
