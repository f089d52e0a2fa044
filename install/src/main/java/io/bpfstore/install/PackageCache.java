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
 *   <li>{@code installations/<id>/<digest-hex>.json}: what restore needs besides the package of installation
 *       {@code id} at that digest: whether it is a bare object and the {@code --set} values given at install. It is
 *       written before the operation changes anything, so whichever digest the state database ends up recording
 *       after a kill (recovery rolls back or completes) has its entry.</li>
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

    /** Records what restore needs about installation {@code id} at {@code entry}'s digest. */
    void remember(String id, Entry entry) {
        try {
            write(entryPath(id, entry.digest()), JSON.writeValueAsBytes(entry));
        } catch (IOException e) {
            throw new UncheckedIOException("write the package cache's entry for " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * What restore needs about installation {@code id} at {@code digest}, when it was installed by a bpfstore that
     * keeps a cache.
     */
    Optional<Entry> entry(String id, String digest) {
        Path file = entryPath(id, digest);
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

    /**
     * Removes what the recorded installations no longer use: entries of installations or digests not in
     * {@code recorded} (installation id → digest the state database records), and blobs and signature references
     * none of those digests reaches, once older than {@link #GRACE}; how many files it removed.
     */
    int prune(Map<String, String> recorded, Instant now) {
        int removed = 0;
        for (String id : list(root.resolve("installations"))) {
            Path dir = root.resolve("installations").resolve(id);
            for (String file : list(dir)) {
                String digest = recorded.get(id);
                if (digest == null || !file.equals(Digest.parse(digest).hex() + ".json")) {
                    removed += removeOld(dir, Set.of(), now, file);
                }
            }
            try {
                Files.deleteIfExists(dir); // only once empty
            } catch (IOException notEmpty) {
                // still in use
            }
        }
        if (!anyOld(root.resolve("signatures"), now) && !anyOld(root.resolve("blobs/sha256"), now)) {
            return removed; // what the recorded installations reach need not be read (and re-hashed) then
        }
        Set<String> kept = new HashSet<>();
        Set<String> keptSignatures = new HashSet<>();
        recorded.values().forEach(d -> reach(Digest.parse(d), kept, keptSignatures));
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

    private static boolean isOld(Path file, Instant now) throws IOException {
        return Files.getLastModifiedTime(file).toInstant().plus(GRACE).isBefore(now);
    }

    /** Whether a file in {@code dir} is older than {@link #GRACE}. */
    private static boolean anyOld(Path dir, Instant now) {
        for (String name : list(dir)) {
            try {
                if (isOld(dir.resolve(name), now)) {
                    return true;
                }
            } catch (IOException e) {
                // removed meanwhile
            }
        }
        return false;
    }

    private static int removeOld(Path dir, Set<String> kept, Instant now) {
        int removed = 0;
        for (String name : list(dir)) {
            removed += removeOld(dir, kept, now, name);
        }
        return removed;
    }

    /** Removes {@code dir/name} if it is not {@code kept} and older than {@link #GRACE}; 1 if it did. */
    private static int removeOld(Path dir, Set<String> kept, Instant now, String name) {
        Path file = dir.resolve(name);
        try {
            if (!kept.contains(name) && isOld(file, now)) {
                Files.deleteIfExists(file);
                return 1;
            }
        } catch (IOException e) {
            // raced with another prune or a write: the next prune sees it again
        }
        return 0;
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

    /** Whether {@code file} is a regular file holding exactly {@code bytes}. */
    private static boolean holds(Path file, byte[] bytes) throws IOException {
        try {
            return Files.isRegularFile(file) && Files.size(file) == bytes.length
                    && java.util.Arrays.equals(Files.readAllBytes(file), bytes);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private Path blobPath(Digest d) {
        return root.resolve("blobs/sha256").resolve(d.hex());
    }

    private Path entryPath(String id, String digest) {
        return root.resolve("installations").resolve(id).resolve(Digest.parse(digest).hex() + ".json");
    }

    /**
     * Writes {@code bytes} to {@code file} through a temporary sibling and a rename; refreshes an existing file's time
     * (and only that when it already holds these bytes: the same package installed again).
     */
    private static void write(Path file, byte[] bytes) {
        try {
            if (holds(file, bytes)) {
                Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
                return;
            }
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
