package io.bpfstore.registry.web;

import io.bpfstore.registry.storage.Accounts;
import io.bpfstore.registry.storage.PackageIndex;
import io.bpfstore.registry.storage.Publisher;
import java.util.List;
import java.util.Optional;

/** A publisher: its namespaces and their packages. */
final class PublisherPage {
    private final Accounts accounts;
    private final PackageIndex packages;

    PublisherPage(Accounts accounts, PackageIndex packages) {
        this.accounts = accounts;
        this.packages = packages;
    }

    /** Renders the publisher {@code name}. */
    String render(String name) throws NotFoundException {
        Publisher p = accounts.publisher(name).orElseThrow(() -> new NotFoundException("publisher " + name));
        List<String> list = packages.packagesIn(p.namespaces());
        Markup m = new Markup();
        m.raw("<h1>").text(p.name()).raw("</h1><p class=\"muted\">Publisher</p>");
        m.raw("<section class=\"card\"><h2>Namespaces</h2><p>");
        for (String ns : p.namespaces()) {
            m.element("span", "tag", ns).raw(" ");
        }
        m.raw("</p></section><section class=\"card\"><h2>Packages</h2>");
        if (list.isEmpty()) {
            m.raw("<p class=\"empty\">No packages published yet.</p>");
        } else {
            m.raw("<ul class=\"plain\">");
            for (String full : list) {
                int slash = full.indexOf('/');
                m.raw("<li>").link(Layout.packageHref(full.substring(0, slash), full.substring(slash + 1),
                        Optional.empty()), full).raw("</li>");
            }
            m.raw("</ul>");
        }
        m.raw("</section>");
        return Layout.page(p.name(), Optional.empty(), m);
    }
}
