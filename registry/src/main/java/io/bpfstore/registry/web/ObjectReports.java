package io.bpfstore.registry.web;

import io.bpfstore.store.build.LayerTar;
import io.bpfstore.store.image.InvalidImageException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.analysis.permissions.PermissionAnalyzer;
import io.bpfstore.analysis.permissions.ProgramPermissions;
import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.bytecode.asm.Disassembler;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.ObjectDisassembly;
import io.bpfstore.registry.storage.Accounts;
import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.store.image.Digest;
import io.bpfstore.registry.storage.ManifestRecord;
import io.bpfstore.registry.storage.Repositories;
import io.bpfstore.registry.trust.PackageSignatures;
import io.bpfstore.registry.trust.PushChecks;
import io.bpfstore.store.build.PackageContents;
import io.bpfstore.registry.limits.AnalysisPool;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * The analysis of each package version's object for the web UI (permissions, disassembly, and the parsed object the
 * clash card compares), computed once per manifest digest on the {@link AnalysisPool}, never on a request thread:
 * {@link #schedule} starts it when a version is published, and a page that finds it missing or still running waits
 * at most {@link #WAIT_MS} ms (parked) and then says it is coming. Objects of more than the instruction budget, and
 * analyses that overrun the pool's time budget, are reported once as "not analysed: too large" and not retried.
 * Results are content-addressed (never stale); at most {@link #CACHE_ENTRIES} are kept.
 */
public final class ObjectReports {
    /** Analyses kept in memory. */
    public static final int CACHE_ENTRIES = 64;
    /** Versions remembered as unanalysable (too large, malformed): small entries, so many more. */
    private static final int UNAVAILABLE_ENTRIES = 10_000;
    /** Listing lines kept per section; longer listings are cut with a note. */
    public static final int MAX_LINES = 20_000;
    /** Default largest object analysed for the web UI, in instruction slots over all programs. */
    public static final int DEFAULT_MAX_INSTRUCTIONS = 100_000;
    /** How long a page waits for an analysis that is running before it shows the page without it. */
    static final long WAIT_MS = 5000;

    private final Repositories repositories;
    private final BlobStore blobs;
    private final AnalysisPool pool;
    private final int maxInstructions;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Entry> analysed = lru(CACHE_ENTRIES);
    private final Map<String, Entry> unavailable = lru(UNAVAILABLE_ENTRIES);
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    /** A finished analysis: the report, and the parsed object when there is one. */
    private record Entry(ObjectReport report, Optional<BpfObject> object) {
    }

    /** An analysis queued or running, and when it was queued. */
    private record Running(Future<Entry> future, long queuedAtNanos) {
    }

    /**
     * Reads manifests from {@code repositories} and layers from {@code blobs}, analyses on {@code pool}, objects
     * of at most {@code maxInstructions} instruction slots.
     */
    public ObjectReports(Repositories repositories, BlobStore blobs, AnalysisPool pool, int maxInstructions) {
        this.repositories = repositories;
        this.blobs = blobs;
        this.pool = pool;
        this.maxInstructions = maxInstructions;
    }

    private static <V> Map<String, V> lru(int entries) {
        return java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > entries;
            }
        });
    }

    /** The signatures of manifests in the same stores, checked against the keys {@code accounts} hold. */
    PackageSignatures signatures(Accounts accounts) {
        return new PackageSignatures(repositories, blobs, accounts);
    }

    /** Starts the analysis of the manifest {@code digest} in {@code repository} unless it is known or running. */
    public void schedule(String repository, String digest) {
        String key = repository + "@" + digest;
        if (known(key) != null) {
            return;
        }
        running.computeIfAbsent(key, k -> {
            try {
                return new Running(pool.submit(() -> analyse(key, repository, digest)), System.nanoTime());
            } catch (AnalysisPool.Busy e) {
                return null; // a later view schedules it again
            }
        });
    }

    /** The report of the manifest {@code digest} in {@code repository}; {@link ObjectReport.Pending} if not yet. */
    public ObjectReport report(String repository, String digest) {
        return entry(repository, digest).map(Entry::report).orElseGet(ObjectReport.Pending::new);
    }

    /** The parsed object of the manifest {@code digest} in {@code repository}, when its analysis has finished. */
    public Optional<BpfObject> object(String repository, String digest) {
        return entry(repository, digest).flatMap(Entry::object);
    }

    private Entry known(String key) {
        Entry e = analysed.get(key);
        return e != null ? e : unavailable.get(key);
    }

    private Optional<Entry> entry(String repository, String digest) {
        String key = repository + "@" + digest;
        Entry known = known(key);
        if (known != null) {
            return Optional.of(known);
        }
        schedule(repository, digest);
        Running r = running.get(key);
        if (r == null) {
            return Optional.ofNullable(known(key));
        }
        long budgetLeft = pool.budget().toNanos() - (System.nanoTime() - r.queuedAtNanos());
        try {
            return Optional.of(r.future().get(Math.max(0, Math.min(budgetLeft, WAIT_MS * 1_000_000)),
                    java.util.concurrent.TimeUnit.NANOSECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            if (budgetLeft > WAIT_MS * 1_000_000) {
                return Optional.empty(); // still within its budget: the page says it is coming
            }
            r.future().cancel(true);
            running.remove(key);
            Entry over = new Entry(new ObjectReport.Unavailable("not analysed: too large (the analysis took longer "
                    + "than this registry's " + pool.budget().toSeconds() + " s budget)"), Optional.empty());
            unavailable.put(key, over);
            return Optional.of(over);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            return Optional.ofNullable(known(key));
        }
    }

    /**
     * The bytes a pull of the manifest {@code digest} downloads: the manifest, its config and its layers (as the
     * manifest describes them); empty if the manifest is gone or unreadable.
     */
    public java.util.OptionalLong imageSize(String repository, String digest) {
        if (!Digest.isDigest(digest)) {
            return java.util.OptionalLong.empty();
        }
        Optional<ManifestRecord> manifest = repositories.manifest(repository, Digest.parse(digest));
        if (manifest.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        try {
            JsonNode root = json.readTree(manifest.get().content());
            long size = manifest.get().content().length + Math.max(0, root.path("config").path("size").asLong(0));
            for (JsonNode layer : root.path("layers")) {
                size += Math.max(0, layer.path("size").asLong(0));
            }
            return java.util.OptionalLong.of(size);
        } catch (IOException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /** An object read from a layer, with its file name there. */
    private record Read(String fileName, BpfObject object) {
    }

    private Read read(String repository, String digest) throws IOException, LayerException {
        if (!Digest.isDigest(digest)) {
            throw new LayerException("the version's digest is malformed");
        }
        Optional<ManifestRecord> manifest = repositories.manifest(repository, Digest.parse(digest));
        if (manifest.isEmpty()) {
            throw new LayerException("the manifest is no longer in the repository");
        }
        JsonNode layers = json.readTree(manifest.get().content()).path("layers");
        if (!layers.isArray() || layers.size() != 1) {
            throw new LayerException("the manifest does not have exactly one layer");
        }
        String layerDigest = layers.get(0).path("digest").asText("");
        long size = layers.get(0).path("size").asLong(-1);
        if (!Digest.isDigest(layerDigest)) {
            throw new LayerException("the layer digest is malformed");
        }
        if (size < 0 || size > PushChecks.MAX_LAYER) {
            throw new LayerException("the layer has size " + size + ", over the " + PushChecks.MAX_LAYER
                    + "-byte limit of the web view");
        }
        Optional<InputStream> in = blobs.open(Digest.parse(layerDigest), 0);
        if (in.isEmpty()) {
            throw new LayerException("the layer blob is missing");
        }
        LayerTar.Entry file;
        try (InputStream stream = in.get()) {
            // the layer's size was checked above, so reading it whole is bounded
            file = LayerTar.read(stream.readAllBytes(), PackageContents.MAX_OBJECT);
        } catch (InvalidImageException e) {
            throw new LayerException(e.getMessage());
        }
        String name = file.name();
        int dot = name.indexOf('.');
        return new Read(name, BpfObject.parse(file.content(), dot > 0 ? name.substring(0, dot) : name));
    }

    /** Runs on the pool: reads, checks the size budget, analyses, and files the result. */
    private Entry analyse(String key, String repository, String digest) {
        Entry entry;
        try {
            entry = analyse(repository, digest);
        } finally {
            running.remove(key);
        }
        if (!unavailable.containsKey(key)) { // a page may have given up on it meanwhile: that verdict stands
            (entry.object().isPresent() ? analysed : unavailable).put(key, entry);
        }
        return entry;
    }

    private Entry analyse(String repository, String digest) {
        try {
            Read read = read(repository, digest);
            BpfObject object = read.object();
            long slots = object.programs().stream().mapToLong(p -> p.totalSlots()).sum();
            if (slots > maxInstructions) {
                return new Entry(new ObjectReport.Unavailable("not analysed: too large (" + slots
                        + " instructions; this registry analyses objects of up to " + maxInstructions + ")"),
                        Optional.empty());
            }
            String name = read.fileName();
            Map<String, ProgramPermissions> permissions = PermissionAnalyzer.derive(object);
            return new Entry(new ObjectReport.Analysed(name, permissions, sections(SourcePaths.relativize(
                    ObjectDisassembly.lines(object, name, Disassembler.Dialect.GENERIC, true)))), Optional.of(object));
        } catch (LayerException | MalformedObjectException e) {
            return new Entry(new ObjectReport.Unavailable(e.getMessage()), Optional.empty());
        } catch (IOException e) {
            return new Entry(new ObjectReport.Unavailable("reading the layer failed: " + e.getMessage()),
                    Optional.empty());
        } catch (RuntimeException | StackOverflowError e) {
            // The analysis walks attacker-supplied bytecode; one odd object must not take the page down.
            return new Entry(new ObjectReport.Unavailable("analysis failed: " + e), Optional.empty());
        }
    }

    /** Splits an object listing at its "Disassembly of section NAME:" headers. */
    static Map<String, List<String>> sections(List<String> listing) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        String prefix = "Disassembly of section ";
        for (String line : listing) {
            if (line.startsWith(prefix) && line.endsWith(":")) {
                current = new ArrayList<>();
                out.put(line.substring(prefix.length(), line.length() - 1), current);
            } else if (current != null) {
                if (current.size() == MAX_LINES) {
                    current.add("... listing cut at " + MAX_LINES + " lines");
                } else if (current.size() < MAX_LINES) {
                    current.add(line);
                }
            }
        }
        out.replaceAll((k, v) -> List.copyOf(trimBlank(v)));
        return out;
    }

    private static List<String> trimBlank(List<String> lines) {
        int from = 0;
        int to = lines.size();
        while (from < to && lines.get(from).isBlank()) {
            from++;
        }
        while (to > from && lines.get(to - 1).isBlank()) {
            to--;
        }
        return lines.subList(from, to);
    }
}
