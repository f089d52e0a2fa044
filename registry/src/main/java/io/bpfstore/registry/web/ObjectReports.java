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
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a package version's object from its layer blob, derives its permissions and disassembles it; results
 * are cached per manifest digest (content-addressed, so never stale), at most {@link #CACHE_ENTRIES} of them.
 */
public final class ObjectReports {
    /** Analyses kept in memory. */
    public static final int CACHE_ENTRIES = 64;
    /** Largest compressed layer read. */
    public static final long MAX_LAYER = 16L << 20;
    /** Largest object file read out of a layer. */
    public static final long MAX_OBJECT = 32L << 20;
    /** Listing lines kept per section; longer listings are cut with a note. */
    public static final int MAX_LINES = 20_000;

    private final Repositories repositories;
    private final BlobStore blobs;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, ObjectReport> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectReport> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    private final Map<String, BpfObject> objects = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BpfObject> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    /** Reads manifests from {@code repositories} and layers from {@code blobs}. */
    public ObjectReports(Repositories repositories, BlobStore blobs) {
        this.repositories = repositories;
        this.blobs = blobs;
    }

    /** The signatures of manifests in the same stores, checked against the keys {@code accounts} hold. */
    PackageSignatures signatures(Accounts accounts) {
        return new PackageSignatures(repositories, blobs, accounts);
    }

    /** The report of the manifest {@code digest} in {@code repository}, from the cache when present. */
    public ObjectReport report(String repository, String digest) {
        String key = repository + "@" + digest;
        synchronized (cache) {
            ObjectReport cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        ObjectReport fresh = analyse(repository, digest);
        synchronized (cache) {
            cache.put(key, fresh);
        }
        return fresh;
    }

    /**
     * The parsed object of the manifest {@code digest} in {@code repository} (for the clash section), empty when it
     * cannot be read; cached like the reports.
     */
    public Optional<BpfObject> object(String repository, String digest) {
        String key = repository + "@" + digest;
        synchronized (objects) {
            BpfObject cached = objects.get(key);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        try {
            BpfObject object = read(repository, digest).object();
            synchronized (objects) {
                objects.put(key, object);
            }
            return Optional.of(object);
        } catch (LayerException | IOException | RuntimeException e) {
            return Optional.empty(); // malformed objects too (a RuntimeException): the report of that version says why
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
        if (size < 0 || size > MAX_LAYER) {
            throw new LayerException("the layer has size " + size + ", over the " + MAX_LAYER
                    + "-byte limit of the web view");
        }
        Optional<InputStream> in = blobs.open(Digest.parse(layerDigest), 0);
        if (in.isEmpty()) {
            throw new LayerException("the layer blob is missing");
        }
        LayerTar.Entry file;
        try (InputStream stream = in.get()) {
            // the layer's size was checked above, so reading it whole is bounded
            file = LayerTar.read(stream.readAllBytes(), MAX_OBJECT);
        } catch (InvalidImageException e) {
            throw new LayerException(e.getMessage());
        }
        String name = file.name();
        int dot = name.indexOf('.');
        return new Read(name, BpfObject.parse(file.content(), dot > 0 ? name.substring(0, dot) : name));
    }

    private ObjectReport analyse(String repository, String digest) {
        try {
            Read read = read(repository, digest);
            BpfObject object = read.object();
            String name = read.fileName();
            Map<String, ProgramPermissions> permissions = PermissionAnalyzer.derive(object);
            return new ObjectReport.Analysed(name, permissions, sections(
                    ObjectDisassembly.lines(object, name, Disassembler.Dialect.GENERIC, true)));
        } catch (LayerException | MalformedObjectException e) {
            return new ObjectReport.Unavailable(e.getMessage());
        } catch (IOException e) {
            return new ObjectReport.Unavailable("reading the layer failed: " + e.getMessage());
        } catch (RuntimeException e) {
            // The analysis walks attacker-supplied bytecode; one odd object must not take the page down.
            return new ObjectReport.Unavailable("analysis failed: " + e);
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
