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
import io.bpfstore.store.image.SearchQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The "Clashes" card of a package page: the clash checks of one version against the latest version of every other
 * catalog package that has a program type in common with it, in both orders (either may be installed first), without
 * a host. Results are cached per version and recomputed only when the set of those other versions changes; pair
 * results are cached by the two manifest digests (content-addressed, never stale). A computation runs on a background
 * thread: the page waits for it up to {@link #WAIT_MS} ms, then shows what is known and says the rest is coming, so a
 * large catalog never holds a page up.
 */
final class ClashSection {
    /** Other packages compared, at most (the most downloaded first). */
    static final int MAX_OTHERS = 200;
    /** Versions whose results are kept. */
    private static final int CACHE_ENTRIES = 256;
    /** Pairs of versions whose findings are kept. */
    private static final int PAIR_ENTRIES = 20_000;
    /** How long a page waits for a computation before it shows the card without it. */
    static final long WAIT_MS = 3000;
    /** One background thread for every registry in the process (a daemon: it never holds the JVM up). */
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bpfstore-clash-section");
        t.setDaemon(true);
        return t;
    });

    private final PackageIndex packages;
    private final ObjectReports objects;
    private final Map<String, Known> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    private final Map<String, List<Clash>> pairs = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<Clash>> eldest) {
            return size() > PAIR_ENTRIES;
        }
    };
    private final Map<String, Future<Known>> running = new ConcurrentHashMap<>();

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
            m.raw("<p class=\"empty\">Not checked: the object has no analysis (see Disassembly).</p></section>");
            return;
        }
        List<SearchHit> others = others(repository, programTypes);
        Optional<List<Clash>> known;
        try {
            known = clashes(repository, digest, self.get(), others);
        } catch (IllegalStateException e) {
            m.element("p", "error", "The clash check failed: " + e.getMessage()).raw("</section>");
            return;
        }
        if (others.isEmpty()) {
            m.raw("<p class=\"empty\">No other package of the catalog has a program type in common with this one."
                    + "</p></section>");
            return;
        }
        m.element("p", "muted", "Checked against the latest version of " + others.size() + " catalog package"
                + (others.size() == 1 ? "" : "s") + " with a program type in common, in both install orders, "
                + "without a host (bpfstore check adds the host's programs).");
        if (known.isEmpty()) {
            m.raw("<p class=\"empty\">Still checking; reload the page in a moment.</p></section>");
            return;
        }
        List<Clash> clashes = known.get();
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
            Fold.text(m, "reason", f.message());
            Fold.text(m, "fix", "Fix: " + f.fix());
            m.raw("</li>");
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

    /** The clashes with {@code others}: from the cache, or computed (waiting at most {@link #WAIT_MS}). */
    private Optional<List<Clash>> clashes(String repository, String digest, BpfObject self, List<SearchHit> others) {
        List<String> against = others.stream().map(h -> h.namespace() + "/" + h.name() + "@" + h.digest()).toList();
        String key = repository + "@" + digest;
        synchronized (cache) {
            Known known = cache.get(key);
            if (known != null && known.against().equals(against)) {
                return Optional.of(known.clashes());
            }
        }
        Future<Known> job = running.computeIfAbsent(key, k -> WORKER.submit(() -> {
            try {
                Known fresh = new Known(against, compute(repository, digest, self, others));
                synchronized (cache) {
                    cache.put(key, fresh);
                }
                return fresh;
            } finally {
                running.remove(key);
            }
        }));
        try {
            Known done = job.get(WAIT_MS, TimeUnit.MILLISECONDS);
            return done.against().equals(against) ? Optional.of(done.clashes()) : Optional.empty();
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("clash check of " + key + " failed: " + e.getCause(), e.getCause());
        }
    }

    private List<Clash> compute(String repository, String digest, BpfObject self, List<SearchHit> others) {
        List<Clash> clashes = new ArrayList<>();
        CheckedPackage mine = new CheckedPackage(repository, self);
        for (SearchHit h : others) {
            String pairKey = digest + ">" + h.digest();
            List<Clash> pair;
            synchronized (pairs) {
                pair = pairs.get(pairKey);
            }
            if (pair == null) {
                pair = pair(mine, h);
                synchronized (pairs) {
                    pairs.put(pairKey, pair);
                }
            }
            clashes.addAll(pair);
        }
        clashes.sort(java.util.Comparator.comparing((Clash c) -> c.finding().severity())
                .thenComparing(c -> c.other().toLowerCase(Locale.ROOT)));
        return List.copyOf(clashes);
    }

    /** The findings between this package and one other, in both orders. */
    private List<Clash> pair(CheckedPackage mine, SearchHit h) {
        String other = h.namespace() + "/" + h.name();
        Optional<BpfObject> theirs = objects.object(other, h.digest());
        if (theirs.isEmpty()) {
            return List.of();
        }
        CheckedPackage pkg = new CheckedPackage(other, theirs.get());
        List<Clash> clashes = new ArrayList<>();
        try {
            for (Finding f : ClashDetector.check(List.of(mine, pkg), HostView.none()).findings()) {
                if (between(f, mine.name(), other)) {
                    clashes.add(new Clash(other, h.version(), "this first", f));
                }
            }
            for (Finding f : ClashDetector.check(List.of(pkg, mine), HostView.none()).findings()) {
                if (between(f, mine.name(), other) && clashes.stream().noneMatch(c ->
                        c.finding().findingClass() == f.findingClass() && c.finding().message().equals(f.message()))) {
                    clashes.add(new Clash(other, h.version(), "other first", f));
                }
            }
        } catch (RuntimeException e) {
            // Objects come from publishers: one the analysis cannot take must not take the page down.
            return List.of();
        }
        return List.copyOf(clashes);
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
