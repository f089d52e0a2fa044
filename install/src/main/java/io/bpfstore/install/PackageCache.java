package io.bpfstore.install;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.DigestMismatchException;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.ImageManifest;
import io.bpfstore.store.image.InvalidImageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The packages this host installed, kept content-addressed under {@code <state-dir>/packages} so that restore can
 * re-create an installation after a reboot without the registry and re-verify it as a pull would:
 * <ul>
 *   <li>{@code blobs/sha256/<hex>}: manifests, configs, layers, signature manifests and payloads, and bare object
 *       files, each named by the sha256 of its bytes (re-hashed on every read);</li>
 *   <li>{@code signatures/<subject-hex>}: the digest of the signature manifest ({@code sha256-<hex>.sig}) that
 *       verified image {@code subject} when it was pulled;</li>
 *   <li>{@code installations/<id>.json}: what restore needs besides the package: the digest installed and the
 *       {@code --set} values given at install.</li>
 * </ul>
 * Blobs are written before the operation takes the state lock (a pull), so {@link #prune} removes only unreferenced
 * files older than {@link #GRACE}: a package pulled for an install that has not committed yet is never pruned.
 */
final class PackageCache {
    /** How old an unreferenced cache file must be before {@link #prune} removes it. */
    static final Duration GRACE = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What restore needs about one installation besides its package.
     *
     * @param digest  the digest installed (image manifest, or the object's sha256 for a bare object file)
     * @param object  whether the package is a bare object file (its digest names the object, not a manifest)
     * @param globals the {@code --set} values given at install (empty after an upgrade, which does not re-apply them)
     */
    record Entry(String digest, boolean object, Map<String, String> globals) {
        Entry {
            globals = Map.copyOf(globals);
        }
    }

    private final Path root;

    /** The cache of the state directory {@code stateDir}. */
    PackageCache(Path stateDir) {
        this.root = stateDir.resolve("packages");
    }

    /** Keeps an image and, when it was verified, its signature image. */
    void putImage(Image image, Optional<Image> signature) {
        putImageBlobs(image);
        signature.ifPresent(sig -> {
            putImageBlobs(sig);
            write(root.resolve("signatures").resolve(image.digest().hex()), sig.digest().toString()
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        });
    }

    /** Keeps a bare object file under its sha256. */
    void putBlob(byte[] bytes) {
        write(blobPath(Digest.of(bytes)), bytes);
    }

    private void putImageBlobs(Image image) {
        write(blobPath(image.digest()), image.manifestBytes());
        image.blobs().forEach((d, bytes) -> write(blobPath(d), bytes));
    }

    /**
     * The blob {@code digest}, re-hashed.
     *
     * @throws InstallException when it is missing or its bytes no longer have that digest
     */
    byte[] blob(Digest digest, String what) {
        Path file = blobPath(digest);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InstallException(what + " " + digest + " is not in the package cache (" + file + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
        }
        try {
            digest.verify(what, bytes, bytes.length);
        } catch (DigestMismatchException e) {
            throw new InstallException("the package cache's " + what + " " + digest + " was changed: its bytes hash to "
                    + Digest.of(bytes) + " (" + file + ")");
        }
        return bytes;
    }

    /**
     * The image {@code digest}: its manifest and every blob it references, each re-hashed and size-checked.
     *
     * @throws InstallException when any of them is missing or changed
     */
    Image image(Digest digest) {
        byte[] manifestBytes = blob(digest, "manifest");
        ImageManifest manifest = ImageManifest.parse(manifestBytes, "cached manifest " + digest);
        Map<Digest, byte[]> blobs = new HashMap<>();
        for (Descriptor d : Image.referenced(manifest)) {
            byte[] bytes = blob(d.digest(), d.mediaType().contains("config") ? "config" : "layer");
            if (bytes.length != d.size()) {
                throw new InstallException("the package cache's blob " + d.digest() + " is " + bytes.length
                        + " bytes, its manifest says " + d.size());
            }
            blobs.put(d.digest(), bytes);
        }
        return new Image(manifestBytes, manifest, blobs);
    }

    /** The signature image kept for image {@code subject}, every digest re-checked; empty when none was kept. */
    Optional<Image> signature(Digest subject) {
        Path ref = root.resolve("signatures").resolve(subject.hex());
        if (!Files.isRegularFile(ref)) {
            return Optional.empty();
        }
        try {
            return Optional.of(image(Digest.parse(Files.readString(ref).strip())));
        } catch (IOException e) {
            throw new UncheckedIOException("read " + ref + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException | InvalidImageException e) {
            throw new InstallException("the package cache's signature reference " + ref + " is unreadable: "
                    + e.getMessage());
        }
    }

    /** Records what restore needs about installation {@code id}. */
    void remember(String id, Entry entry) {
        try {
            write(entryPath(id), JSON.writeValueAsBytes(entry));
        } catch (IOException e) {
            throw new UncheckedIOException("write the package cache's entry for " + id + ": " + e.getMessage(), e);
        }
    }

    /** What restore needs about installation {@code id}, when it was installed by a bpfstore that keeps a cache. */
    Optional<Entry> entry(String id) {
        Path file = entryPath(id);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> read = JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
            @SuppressWarnings("unchecked")
            Map<String, String> globals = (Map<String, String>) read.getOrDefault("globals", Map.of());
            return Optional.of(new Entry(String.valueOf(read.get("digest")), Boolean.TRUE.equals(read.get("object")),
                    globals));
        } catch (IOException | ClassCastException e) {
            throw new InstallException("the package cache's entry " + file + " is unreadable: " + e.getMessage());
        }
    }

    /** Forgets installation {@code id} (its package stays until {@link #prune}). */
    void forget(String id) {
        try {
            Files.deleteIfExists(entryPath(id));
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + entryPath(id) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes blobs and signature references that no remembered installation reaches and that are older than
     * {@link #GRACE}; how many files it removed. A cache file that cannot be read is left for {@code doctor}.
     */
    int prune(Instant now) {
        Set<String> kept = new HashSet<>();
        Set<String> keptSignatures = new HashSet<>();
        for (String id : list(root.resolve("installations"))) {
            Optional<Entry> e;
            try {
                e = entry(id.substring(0, id.length() - ".json".length()));
            } catch (InstallException bad) {
                continue;
            }
            e.ifPresent(entry -> reach(Digest.parse(entry.digest()), kept, keptSignatures));
        }
        int removed = 0;
        removed += removeOld(root.resolve("signatures"), keptSignatures, now);
        removed += removeOld(root.resolve("blobs/sha256"), kept, now);
        return removed;
    }

    private void reach(Digest digest, Set<String> kept, Set<String> keptSignatures) {
        kept.add(digest.hex());
        try {
            Image image = image(digest);
            image.blobs().keySet().forEach(d -> kept.add(d.hex()));
            Optional<Image> sig = signature(digest);
            keptSignatures.add(digest.hex());
            sig.ifPresent(s -> {
                kept.add(s.digest().hex());
                s.blobs().keySet().forEach(d -> kept.add(d.hex()));
            });
        } catch (RuntimeException notAnImage) {
            // a bare object file, or a cache entry already broken: restore reports it; prune keeps what it names
        }
    }

    private static int removeOld(Path dir, Set<String> kept, Instant now) {
        int removed = 0;
        for (String name : list(dir)) {
            Path file = dir.resolve(name);
            try {
                if (!kept.contains(name) && Files.getLastModifiedTime(file).toInstant().plus(GRACE).isBefore(now)) {
                    Files.deleteIfExists(file);
                    removed++;
                }
            } catch (IOException e) {
                // raced with another prune or a write: the next prune sees it again
            }
        }
        return removed;
    }

    private static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("list " + dir + ": " + e.getMessage(), e);
        }
    }

    private Path blobPath(Digest d) {
        return root.resolve("blobs/sha256").resolve(d.hex());
    }

    private Path entryPath(String id) {
        return root.resolve("installations").resolve(id + ".json");
    }

    /** Writes {@code bytes} to {@code file} through a temporary sibling and a rename; refreshes an existing file's time. */
    private static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            try {
                Files.write(temp, bytes);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException("write " + file + ": " + e.getMessage(), e);
        }
    }
}
