package io.bpfstore.registry.web;

import io.bpfstore.analysis.clash.CheckedPackage;
import io.bpfstore.analysis.clash.ClashDetector;
import io.bpfstore.analysis.clash.Finding;
import io.bpfstore.analysis.clash.FindingClass;
import io.bpfstore.analysis.clash.HostView;
import io.bpfstore.analysis.clash.Severity;
import io.bpfstore.analysis.clash.Subject;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.registry.storage.PackageIndex;
import io.bpfstore.registry.storage.SearchHit;
import io.bpfstore.registry.storage.SearchPage;
import io.bpfstore.registry.storage.SearchQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The "Clashes" card of a package page: the clash checks of one version against the latest version of every other
 * catalog package that has a program type in common with it, in both orders (either may be installed first), without
 * a host. Results are cached per version and recomputed only when the set of those other versions changes.
 */
final class ClashSection {
    /** Other packages compared, at most (the most downloaded first). */
    static final int MAX_OTHERS = 200;
    /** Versions whose results are kept. */
    private static final int CACHE_ENTRIES = 256;

    private final PackageIndex packages;
    private final ObjectReports objects;
    private final Map<String, Known> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    ClashSection(PackageIndex packages, ObjectReports objects) {
        this.packages = packages;
        this.objects = objects;
    }

    /**
     * One clash with another package.
     *
     * @param other   the other package's {@code namespace/name}
     * @param version the other package's version checked
     * @param order   "this first" or "other first": the install order the finding is about
     * @param finding the finding
     */
    record Clash(String other, String version, String order, Finding finding) {
    }

    /** Results for one version, and the other versions they were computed against. */
    private record Known(List<String> against, List<Clash> clashes) {
    }

    /** Appends the card for {@code namespace/name} at manifest {@code digest} with {@code programTypes}. */
    void render(Markup m, String namespace, String name, String digest, List<String> programTypes) {
        m.raw("<section class=\"card\" id=\"clashes\"><h2>Clashes</h2>");
        String repository = namespace + "/" + name;
        Optional<BpfObject> self = objects.object(repository, digest);
        if (self.isEmpty()) {
            m.raw("<p class=\"empty\">Not checked: the object could not be read (see Disassembly).</p></section>");
            return;
        }
        List<SearchHit> others = others(repository, programTypes);
        List<Clash> clashes = clashes(repository, digest, self.get(), others);
        if (others.isEmpty()) {
            m.raw("<p class=\"empty\">No other package of the catalog has a program type in common with this one."
                    + "</p></section>");
            return;
        }
        m.element("p", "muted", "Checked against the latest version of " + others.size() + " catalog package"
                + (others.size() == 1 ? "" : "s") + " with a program type in common, in both install orders, "
                + "without a host (bpfstore check adds the host's programs).");
        if (clashes.isEmpty()) {
            m.raw("<p class=\"ok\">No clash found.</p></section>");
            return;
        }
        m.raw("<ul class=\"clashes\">");
        for (Clash c : clashes) {
            Finding f = c.finding();
            String severity = f.severity() == Severity.ERROR ? "error" : "warning";
            m.raw("<li class=\"clash " + severity + "\">").element("span", "severity " + severity, severity).raw(" ")
                    .element("span", "class", f.findingClass().label()).raw(" with ");
            int slash = c.other().indexOf('/');
            m.link(Layout.packageHref(c.other().substring(0, slash), c.other().substring(slash + 1),
                    Optional.of(c.version())), c.other() + " " + c.version());
            m.element("span", "muted", " (" + c.order() + ")");
            m.element("p", "reason", f.message()).raw("<p class=\"fix\">Fix: ").text(f.fix()).raw("</p></li>");
        }
        m.raw("</ul></section>");
    }

    /** Other packages' latest versions that share a program type with this one, most downloaded first. */
    private List<SearchHit> others(String repository, List<String> programTypes) {
        Map<String, SearchHit> out = new LinkedHashMap<>();
        for (String type : new TreeSet<>(programTypes)) {
            SearchPage page = packages.search(new SearchQuery(Optional.empty(), Optional.of(type), Optional.empty(),
                    Optional.empty(), Optional.empty(), 1, SearchQuery.MAX_PER_PAGE));
            for (int p = 2; page.results().size() > 0; p++) {
                for (SearchHit h : page.results()) {
                    String repo = h.namespace() + "/" + h.name();
                    if (!repo.equals(repository) && out.size() < MAX_OTHERS) {
                        out.putIfAbsent(repo, h);
                    }
                }
                if (out.size() >= MAX_OTHERS || (long) (p - 1) * SearchQuery.MAX_PER_PAGE >= page.total()) {
                    break;
                }
                page = packages.search(new SearchQuery(Optional.empty(), Optional.of(type), Optional.empty(),
                        Optional.empty(), Optional.empty(), p, SearchQuery.MAX_PER_PAGE));
            }
        }
        return List.copyOf(out.values());
    }

    private List<Clash> clashes(String repository, String digest, BpfObject self, List<SearchHit> others) {
        List<String> against = others.stream().map(h -> h.namespace() + "/" + h.name() + "@" + h.digest()).toList();
        String key = repository + "@" + digest;
        synchronized (cache) {
            Known known = cache.get(key);
            if (known != null && known.against().equals(against)) {
                return known.clashes();
            }
        }
        List<Clash> clashes = new ArrayList<>();
        CheckedPackage mine = new CheckedPackage(repository, self);
        for (SearchHit h : others) {
            String other = h.namespace() + "/" + h.name();
            Optional<BpfObject> theirs = objects.object(other, h.digest());
            if (theirs.isEmpty()) {
                continue;
            }
            CheckedPackage pkg = new CheckedPackage(other, theirs.get());
            try {
                for (Finding f : ClashDetector.check(List.of(mine, pkg), HostView.none()).findings()) {
                    if (between(f, repository, other)) {
                        clashes.add(new Clash(other, h.version(), "this first", f));
                    }
                }
                for (Finding f : ClashDetector.check(List.of(pkg, mine), HostView.none()).findings()) {
                    if (between(f, repository, other) && clashes.stream().noneMatch(c -> c.other().equals(other)
                            && c.finding().findingClass() == f.findingClass()
                            && c.finding().message().equals(f.message()))) {
                        clashes.add(new Clash(other, h.version(), "other first", f));
                    }
                }
            } catch (RuntimeException e) {
                // Objects come from publishers: one the analysis cannot take must not take the page down.
                continue;
            }
        }
        clashes.sort(java.util.Comparator.comparing((Clash c) -> c.finding().severity())
                .thenComparing(c -> c.other().toLowerCase(Locale.ROOT)));
        List<Clash> result = List.copyOf(clashes);
        synchronized (cache) {
            cache.put(key, new Known(against, result));
        }
        return result;
    }

    /**
     * Whether a finding is about the two packages together (not one of them alone, such as its map sizes). Left out:
     * the warning that two XDP packages share an interface only through a dispatcher — true of every XDP pair, and
     * what the composition then does to traffic is what the other findings say.
     */
    private static boolean between(Finding f, String self, String other) {
        if (f.findingClass() == FindingClass.EXCLUSIVE_HOOK && f.severity() == Severity.WARNING) {
            return false;
        }
        List<String> names = f.subjects(Subject.PackageRef.class).stream().map(Subject.PackageRef::name).toList();
        return names.contains(self) && names.contains(other);
    }
}
