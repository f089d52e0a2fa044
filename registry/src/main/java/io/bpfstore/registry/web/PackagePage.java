package io.bpfstore.registry.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.analysis.permissions.Evidence;
import io.bpfstore.analysis.permissions.Permission;
import io.bpfstore.analysis.permissions.ProgramPermissions;
import io.bpfstore.registry.storage.Accounts;
import io.bpfstore.registry.storage.PackageIndex;
import io.bpfstore.registry.storage.PackageRecord;
import io.bpfstore.registry.storage.VersionRecord;
import io.bpfstore.registry.trust.PackageSignatures;
import io.bpfstore.store.image.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One version of a package: metadata, programs, maps, permissions (declared and derived) and disassembly. */
final class PackagePage {
    private static final String PENDING = "Being analysed (this runs once, in the background, after each push); "
            + "reload the page in a moment.";
    private final PackageIndex packages;
    private final Accounts accounts;
    private final ObjectReports objects;
    private final ClashSection clashes;
    private final PackageSignatures signatures;
    private final ObjectMapper json = new ObjectMapper();
    private final boolean mutableVersions;
    private static final java.time.format.DateTimeFormatter DATE = java.time.format.DateTimeFormatter
            .ofPattern("d MMM yyyy", java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);
    private static final java.time.format.DateTimeFormatter DATE_TIME = java.time.format.DateTimeFormatter
            .ofPattern("d MMM yyyy, HH:mm 'UTC'", java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);

    PackagePage(PackageIndex packages, Accounts accounts, ObjectReports objects, boolean mutableVersions) {
        this.mutableVersions = mutableVersions;
        this.packages = packages;
        this.accounts = accounts;
        this.objects = objects;
        this.clashes = new ClashSection(packages, objects);
        this.signatures = objects.signatures(accounts);
    }

    /**
     * Renders {@code namespace/name} at {@code version} (empty: the latest non-yanked one, or the newest if all
     * are yanked); {@code registryHost} is the host clients address (for the pull command).
     */
    String render(String namespace, String name, Optional<String> version, String registryHost)
            throws NotFoundException, IOException {
        PackageRecord p = packages.find(namespace, name)
                .orElseThrow(() -> new NotFoundException("package " + namespace + "/" + name));
        if (p.versions().isEmpty()) {
            throw new NotFoundException("package " + namespace + "/" + name);
        }
        String wanted = version.or(p::latest).orElse(p.versions().getFirst().version());
        VersionRecord v = p.versions().stream().filter(x -> x.version().equals(wanted)).findFirst()
                .orElseThrow(() -> new NotFoundException("version " + namespace + "/" + name + "@" + wanted));
        JsonNode meta = json.readTree(v.metadata());
        String full = namespace + "/" + name;
        String repository = namespace + "/" + name;
        ObjectReport report = objects.report(repository, v.digest());
        Optional<String> publisher = accounts.namespaceOwner(namespace);

        Markup m = new Markup();
        m.raw("<div class=\"pkg-head\"><h1>").text(full).raw("</h1>").element("span", "version big", v.version());
        if (v.yanked()) {
            m.element("span", "yanked", "yanked");
        }
        m.raw("</div>");
        m.element("p", "lead", text(meta, "description"));
        if (v.yanked()) {
            m.raw("<p class=\"warning\">This version was yanked: it stays pullable by exact version but is hidden ")
                    .raw("from search and never chosen as latest.</p>");
        }

        m.raw("<div class=\"columns\"><div class=\"main-col\">");
        commands(m, full, v.version(), registryHost);
        programs(m, meta);
        maps(m, meta);
        permissions(m, meta, report);
        clashes.render(m, namespace, name, v.digest(), programTypes(meta));
        m.raw("</div><aside class=\"side-col\">");
        facts(m, meta, p, v, publisher, objects.imageSize(repository, v.digest()));
        signature(m, repository, v.digest());
        versions(m, p, v, mutableVersions);
        requirements(m, meta);
        m.raw("</aside></div>");
        disassembly(m, meta, report);
        return Layout.page(full + " " + v.version(), Optional.empty(), m);
    }

    private static void commands(Markup m, String full, String version, String host) {
        m.raw("<section class=\"card\"><h2>Install</h2>")
                .raw("<pre class=\"cmd\" id=\"install\">").text("bpfstore install " + full + "@" + version)
                .raw("</pre><h3>Pull</h3><pre class=\"cmd\" id=\"pull\">")
                .text("bpfstore pull " + full + "@" + version).raw("\n")
                .text("oras pull " + host + "/" + full + ":" + version).raw("</pre></section>");
    }

    private static void facts(Markup m, JsonNode meta, PackageRecord p, VersionRecord v,
                              Optional<String> publisher, java.util.OptionalLong size) {
        m.raw("<section class=\"card\"><h2>About</h2><dl class=\"facts\">");
        m.raw("<dt>Publisher</dt><dd>");
        publisher.ifPresentOrElse(name -> m.link(Layout.publisherHref(name), name), () -> m.text("—"));
        m.raw("</dd>");
        String license = text(meta, "license");
        m.raw("<dt>Licence</dt><dd>").link("/search?license=" + Layout.segment(license), license).raw("</dd>");
        String homepage = text(meta, "homepage");
        m.raw("<dt>Homepage</dt><dd>");
        if (homepage.startsWith("https://") || homepage.startsWith("http://")) {
            // Only http(s) becomes a link: a javascript: or data: URL from a package must stay inert text.
            m.raw("<a rel=\"nofollow noopener\" href=\"").text(homepage).raw("\">").text(homepage).raw("</a>");
        } else {
            m.text(homepage.isEmpty() ? "—" : homepage);
        }
        m.raw("</dd>");
        m.element("dt", "Authors").element("dd", orDash(String.join(", ", strings(meta.path("authors")))));
        m.element("dt", "Published").raw("<dd>");
        time(m, v.publishedAt(), DATE_TIME);
        m.raw("</dd>");
        m.element("dt", "Downloads").element("dd", v.downloads() + " of this version, " + p.downloads() + " in all");
        m.element("dt", "Size").raw("<dd id=\"size\">").text(size.isPresent() ? bytes(size.getAsLong())
                + " to download" : "—").raw("</dd>");
        m.element("dt", "Object").element("dd", orDash(text(meta, "object")));
        m.raw("<dt>Digest</dt><dd><code class=\"digest\">").text(v.digest()).raw("</code></dd>");
        String origin = text(meta, "origin"); // set by registry index: published elsewhere, copied in
        if (!origin.isEmpty()) {
            m.raw("<dt>Origin</dt><dd id=\"origin\">").text("indexed from " + origin).raw("</dd>");
        }
        m.raw("</dl></section>");
    }

    /** The signature card: who signed this digest, by key fingerprint, as the registry verified it. */
    private void signature(Markup m, String repository, String digest) throws IOException {
        m.raw("<section class=\"card\" id=\"signature\"><h2>Signature</h2>");
        PackageSignatures.Status status = Digest.isDigest(digest)
                ? signatures.status(repository, Digest.parse(digest)) : new PackageSignatures.Unsigned();
        switch (status) {
            case PackageSignatures.Verified v -> m.raw("<p class=\"signed\">Signed by a key of publisher ")
                    .text(v.publisher()).raw("</p><p>Key <code class=\"fingerprint\">").text(v.fingerprint())
                    .raw("</code></p>");
            case PackageSignatures.Unverified u -> {
                m.raw("<p class=\"warning\">Signed, but not by a key its publisher registered: ").text(u.reason())
                        .raw("</p>");
                for (String s : u.signers()) {
                    m.raw("<p>Signer claims key <code class=\"fingerprint\">").text(s).raw("</code></p>");
                }
            }
            case PackageSignatures.Unsigned u -> m.raw("<p class=\"empty\">Unsigned.</p>");
        }
        m.raw("</section>");
    }

    private static void versions(Markup m, PackageRecord p, VersionRecord current, boolean mutable) {
        m.raw("<section class=\"card\" id=\"versions\"><h2>Versions</h2>");
        m.element("p", "muted immutability", mutable
                ? "This registry lets publishers push a published version again with other content."
                : "Immutable: a published version keeps its content for good; fixes come as new versions, "
                        + "and a bad version is yanked.");
        m.raw("<ul class=\"versions\">");
        for (VersionRecord x : p.versions()) {
            m.raw(x.version().equals(current.version()) ? "<li class=\"current\">" : "<li>")
                    .link(Layout.packageHref(p.namespace(), p.name(), Optional.of(x.version())), x.version());
            if (x.yanked()) {
                m.element("span", "yanked", "yanked");
            }
            m.raw("<span class=\"muted\">");
            time(m, x.publishedAt(), DATE);
            m.raw("</span></li>");
        }
        m.raw("</ul></section>");
    }

    private static void programs(Markup m, JsonNode meta) {
        m.raw("<section class=\"card\" id=\"programs\"><h2>Programs</h2>");
        JsonNode programs = meta.path("programs");
        if (!programs.isArray() || programs.isEmpty()) {
            m.raw("<p class=\"empty\">No programs listed.</p>");
        } else {
            m.raw("<table class=\"stack\"><thead><tr><th>Program</th><th>Section</th><th>Type</th><th>Attach type</th>")
                    .raw("<th>Instructions</th></tr></thead><tbody>");
            for (JsonNode pr : programs) {
                m.raw("<tr>").raw(cell("Program")).raw("<code>").breakable(text(pr, "name")).raw("</code></td>")
                        .raw(cell("Section")).raw("<code>").breakable(text(pr, "section")).raw("</code></td>")
                        .raw(cell("Type")).raw("<a class=\"tag\" href=\"").text("/search?type=" + Layout.segment(text(pr, "type")))
                        .raw("\">").text(text(pr, "type")).raw("</a></td>")
                        .raw(cell("Attach type")).breakable(orDash(text(pr, "attach_type"))).raw("</td>")
                        .raw(cell("Instructions")).text(orDash(text(pr, "instructions"))).raw("</td>")
                        .raw("</tr>");
            }
            m.raw("</tbody></table>");
        }
        JsonNode hooks = meta.path("hooks");
        if (hooks.isArray() && !hooks.isEmpty()) {
            m.raw("<h3>Hooks</h3><table class=\"stack\"><thead><tr><th>Program</th><th>Priority</th><th>Proceed on</th>")
                    .raw("</tr></thead><tbody>");
            for (JsonNode h : hooks) {
                m.raw("<tr>").raw(cell("Program")).raw("<code>").breakable(text(h, "program")).raw("</code></td>")
                        .raw(cell("Priority")).text(orDash(text(h, "priority"))).raw("</td>")
                        .raw(cell("Proceed on")).breakable(String.join(", ", strings(h.path("proceed_on")))).raw("</td></tr>");
            }
            m.raw("</tbody></table>");
        }
        // once, for the whole package: the programs' lists and the requirements name the same helpers
        Set<String> helpers = new java.util.TreeSet<>(strings(meta.path("requirements").path("helpers")));
        for (JsonNode pr : programs) {
            helpers.addAll(strings(pr.path("helpers")));
        }
        if (!helpers.isEmpty()) {
            m.raw("<h3>Helpers used</h3><p class=\"helpers\" id=\"helpers\">");
            for (String h : helpers) {
                m.raw("<a href=\"").text("/search?q=" + Layout.segment(h)).raw("\"><code>").text(h).raw("</code></a> ");
            }
            m.raw("</p>");
        }
        m.raw("</section>");
    }

    private static void maps(Markup m, JsonNode meta) {
        JsonNode maps = meta.path("maps");
        m.raw("<section class=\"card\" id=\"maps\"><h2>Maps</h2>");
        if (!maps.isArray() || maps.isEmpty()) {
            m.raw("<p class=\"empty\">No maps.</p></section>");
            return;
        }
        m.raw("<table class=\"stack\"><thead><tr><th>Map</th><th>Type</th><th>Key size</th><th>Value size</th>")
                .raw("<th>Max entries</th></tr></thead><tbody>");
        for (JsonNode x : maps) {
            m.raw("<tr>").raw(cell("Map")).raw("<code>").breakable(text(x, "name")).raw("</code></td>")
                    .raw(cell("Type")).breakable(orDash(text(x, "type"))).raw("</td>")
                    .raw(cell("Key size")).text(orDash(text(x, "key_size"))).raw("</td>")
                    .raw(cell("Value size")).text(orDash(text(x, "value_size"))).raw("</td>")
                    .raw(cell("Max entries")).text(orDash(text(x, "max_entries"))).raw("</td>")
                    .raw("</tr>");
        }
        m.raw("</tbody></table></section>");
    }

    private static void permissions(Markup m, JsonNode meta, ObjectReport report) {
        m.raw("<section class=\"card\" id=\"permissions\"><h2>Permissions</h2><h3>Declared by the publisher</h3>");
        List<String> declared = strings(meta.path("permissions"));
        if (declared.isEmpty()) {
            m.raw("<p class=\"empty\">None declared.</p>");
        } else {
            m.raw("<ul class=\"declared\">");
            for (String d : declared) {
                m.raw("<li>").element("code", d);
                Permission.named(d).ifPresent(p -> m.raw(" ").element("span", "perm", p.description()));
                m.raw("</li>");
            }
            m.raw("</ul>");
        }
        m.raw("<h3>Derived from the bytecode</h3>");
        switch (report) {
            case ObjectReport.Unavailable u -> m.element("p", "error", "Could not analyse the object: " + u.reason());
            case ObjectReport.Pending p -> m.element("p", "empty", PENDING);
            case ObjectReport.Analysed a -> {
                for (Map.Entry<String, ProgramPermissions> e : a.permissions().entrySet()) {
                    m.raw("<div class=\"derived\"><h4><code>").text(e.getKey()).raw("</code></h4><ul>");
                    for (var perm : e.getValue().permissions()) {
                        // packages published before the vocabulary may still declare other names: show the gap
                        boolean undeclared = !declared.contains(perm.id()) && !declared.contains(perm.description());
                        m.raw("<li><span class=\"perm\">").text(perm.description()).raw("</span> ")
                                .element("code", perm.id()).raw(" ");
                        if (undeclared) {
                            m.element("span", "warning", "not declared");
                        }
                        m.raw(" ").element("span", "cap", perm.capability().name()).raw("<ul class=\"evidence\">");
                        for (Evidence ev : e.getValue().evidenceFor(perm)) {
                            m.raw("<li>");
                            ev.site().ifPresent(s -> m.element("span", "muted", "insn " + s.slot()
                                    + (s.function().equals(e.getKey()) ? "" : " in " + s.function())).raw(" "));
                            ev.text().ifPresent(t -> m.element("code", t).raw(" "));
                            m.element("span", "reason", ev.reason());
                            ev.line().ifPresent(l -> m.raw("<div class=\"src\">").text(baseName(l.fileName()) + ":"
                                    + l.line() + "  ").element("code", l.source().strip()).raw("</div>"));
                            m.raw("</li>");
                        }
                        m.raw("</ul></li>");
                    }
                    m.raw("</ul></div>");
                }
            }
        }
        m.raw("</section>");
    }

    private static void requirements(Markup m, JsonNode meta) {
        JsonNode r = meta.path("requirements");
        m.raw("<section class=\"card\" id=\"requirements\"><h2>Requirements</h2><dl class=\"facts\">");
        for (String[] f : new String[][] {{"program_types", "Program types"}, {"attach_types", "Attach types"},
                {"map_types", "Map types"}, {"kfuncs", "Kfuncs"}}) {
            List<String> values = strings(r.path(f[0]));
            m.element("dt", f[1]).element("dd", values.isEmpty() ? "—" : String.join(", ", values));
        }
        m.element("dt", "BTF").element("dd", r.path("btf").asBoolean(false) ? "required" : "not required");
        m.raw("</dl></section>");
    }

    private static void disassembly(Markup m, JsonNode meta, ObjectReport report) {
        m.raw("<section class=\"card\" id=\"disassembly\"><h2>Disassembly</h2>");
        switch (report) {
            case ObjectReport.Unavailable u -> m.element("p", "error", "No disassembly: " + u.reason());
            case ObjectReport.Pending p -> m.element("p", "empty", PENDING);
            case ObjectReport.Analysed a -> {
                Map<String, List<String>> bySection = new java.util.LinkedHashMap<>();
                for (JsonNode pr : meta.path("programs")) {
                    bySection.computeIfAbsent(text(pr, "section"), k -> new ArrayList<>()).add(text(pr, "name"));
                }
                for (Map.Entry<String, List<String>> s : a.sections().entrySet()) {
                    List<String> names = bySection.getOrDefault(s.getKey(), List.of());
                    m.raw("<details class=\"listing\" open><summary>")
                            .text(names.isEmpty() ? "section " + s.getKey() : String.join(", ", names)
                                    + " (section " + s.getKey() + ")")
                            .raw("</summary><pre class=\"asm\">");
                    for (String line : s.getValue()) {
                        if (line.startsWith("; ")) {
                            m.raw("<span class=\"srcline\">").text(line).raw("</span>\n");
                        } else {
                            m.text(line).raw("\n");
                        }
                    }
                    m.raw("</pre></details>");
                }
            }
        }
        m.raw("</section>");
    }

    /** The program types of the version's programs, as the search facet spells them. */
    private static List<String> programTypes(JsonNode meta) {
        List<String> types = new ArrayList<>();
        for (JsonNode pr : meta.path("programs")) {
            types.add(text(pr, "type"));
        }
        return types;
    }

    /** A field's text; empty for a missing field and for JSON null (never the word "null"). */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : "";
    }

    /** A table cell labelled with its column, which a phone shows beside the value (rows become stacks). */
    private static String cell(String label) {
        return "<td data-label=\"" + label + "\">";
    }

    private static String orDash(String s) {
        return s.isBlank() ? "—" : s;
    }

    /** A {@code <time>} element: the instant for machines, {@code format} for people. */
    private static void time(Markup m, java.time.Instant at, java.time.format.DateTimeFormatter format) {
        m.raw("<time datetime=\"").text(at.toString()).raw("\">").text(format.format(at)).raw("</time>");
    }

    /** A byte count for people: bytes, KiB or MiB with one decimal. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        double k = n / 1024.0;
        return k < 1024 ? String.format(java.util.Locale.ROOT, "%.1f KiB", k)
                : String.format(java.util.Locale.ROOT, "%.1f MiB", k / 1024);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            for (JsonNode x : array) {
                if (x.isValueNode() && !x.isNull()) {
                    out.add(x.asText());
                }
            }
        }
        return out;
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
