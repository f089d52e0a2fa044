package io.bpfstore.store.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.ImageManifest;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.image.MediaTypes;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An OCI image layout directory holding one image tagged with {@code org.opencontainers.image.ref.name}.
 *
 * <pre>{@code
 * OciLayout.write(image, "1.2.0", Path.of("out"));
 * Image back = OciLayout.read(Path.of("out"), Optional.of("1.2.0"));   // every digest verified
 * }</pre>
 */
public final class OciLayout {
    /** The annotation that names an image inside a layout (its tag). */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** Largest blob or manifest read from a layout, in bytes. */
    public static final long MAX_BLOB = 256L << 20;
    /** Largest index.json read, in bytes. */
    public static final long MAX_INDEX = 1L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private OciLayout() {
    }

    /**
     * Writes {@code image} as a layout at {@code dir} with reference name {@code refName}. {@code dir} must not
     * exist or be an empty directory; the layout appears there complete or not at all.
     */
    public static void write(Image image, String refName, Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path temp = prepare(target);
        try {
            Path blobs = temp.resolve("blobs/sha256");
            for (Map.Entry<Descriptor, byte[]> e : image.orderedBlobs().entrySet()) {
                Files.write(blobs.resolve(e.getKey().digest().hex()), e.getValue());
            }
            Files.write(blobs.resolve(image.digest().hex()), image.manifestBytes());
            writeIndex(temp, image.descriptor(), refName);
            commit(temp, target);
        } catch (IOException | RuntimeException e) {
            deleteTree(temp);
            throw e;
        }
    }

    /**
     * Checks that {@code target} is absent or an empty directory, and makes the temporary sibling directory (with
     * {@code blobs/sha256} inside) where its layout is assembled before {@link #commit}.
     */
    public static Path prepare(Path target) throws IOException {
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)) {
                throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a directory");
            }
            try (Stream<Path> s = Files.list(target)) {
                if (s.findAny().isPresent()) {
                    throw new FileAlreadyExistsException(target.toString(), null, "exists and is not empty");
                }
            }
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
        Files.createDirectories(temp.resolve("blobs/sha256"));
        return temp;
    }

    /** Writes {@code oci-layout} and an {@code index.json} naming one manifest as {@code refName}. */
    public static void writeIndex(Path dir, Descriptor manifest, String refName) throws IOException {
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("mediaType", manifest.mediaType());
        entry.put("digest", manifest.digest().toString());
        entry.put("size", manifest.size());
        entry.put("annotations", Map.of(REF_NAME, refName));
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.INDEX);
        index.put("manifests", List.of(entry));
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
    }

    /** Moves the assembled layout {@code temp} to {@code target} in one step (replacing an empty directory). */
    public static void commit(Path temp, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            Files.delete(target); // empty, checked by prepare
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target);
        }
    }

    /**
     * Reads the image named {@code ref} (or the only image when empty) from the layout at {@code dir}, verifying
     * the digest and size of the manifest and of every blob it references.
     */
    public static Image read(Path dir, Optional<String> ref) throws IOException {
        Descriptor manifest = select(dir, ref);
        byte[] manifestBytes = blob(dir, manifest);
        ImageManifest parsed = ImageManifest.parse(manifestBytes, "manifest " + manifest.digest());
        Map<Digest, byte[]> blobs = new HashMap<>();
        for (Descriptor d : Image.referenced(parsed)) {
            blobs.put(d.digest(), blob(dir, d));
        }
        return new Image(manifestBytes, parsed, blobs);
    }

    /** The image entries of the layout's index.json, each with its annotations. */
    public static List<Descriptor> entries(Path dir) throws IOException {
        Path indexFile = dir.resolve("index.json");
        if (!Files.isRegularFile(dir.resolve("oci-layout"))) {
            throw new InvalidImageException(dir.toString(), "not an OCI image layout (no oci-layout file)");
        }
        long size = Files.size(indexFile);
        if (size > MAX_INDEX) {
            throw new InvalidImageException(indexFile.toString(), size + " bytes, more than the " + MAX_INDEX
                    + "-byte limit");
        }
        JsonNode index = ImageManifest.json(Files.readAllBytes(indexFile), indexFile.toString());
        JsonNode manifests = index.path("manifests");
        if (!manifests.isArray()) {
            throw new InvalidImageException(indexFile.toString(), "no manifests array");
        }
        List<Descriptor> out = new ArrayList<>();
        for (int i = 0; i < manifests.size(); i++) {
            out.add(ImageManifest.descriptor(manifests.get(i), indexFile + " manifests[" + i + "]"));
        }
        return out;
    }

    private static Descriptor select(Path dir, Optional<String> ref) throws IOException {
        List<Descriptor> entries = entries(dir).stream()
                .filter(d -> d.mediaType().equals(MediaTypes.MANIFEST) || d.mediaType().equals(MediaTypes.DOCKER_MANIFEST))
                .toList();
        if (ref.isPresent()) {
            return entries.stream().filter(d -> ref.get().equals(d.annotations().get(REF_NAME))).findFirst()
                    .orElseThrow(() -> new InvalidImageException(dir.toString(), "no image named \"" + ref.get()
                            + "\" in index.json"));
        }
        if (entries.size() != 1) {
            throw new InvalidImageException(dir.toString(), entries.size()
                    + " image manifests in index.json; name one (DIR:REF)");
        }
        return entries.getFirst();
    }

    private static byte[] blob(Path dir, Descriptor d) throws IOException {
        Path file = dir.resolve("blobs/sha256").resolve(d.digest().hex());
        if (d.size() > MAX_BLOB) {
            throw new InvalidImageException("blob " + d.digest(), "descriptor size " + d.size()
                    + " is more than the " + MAX_BLOB + "-byte limit");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new InvalidImageException("blob " + d.digest(), "missing from the layout (" + file + ")");
        }
        if (size != d.size()) {
            throw new io.bpfstore.store.image.DigestMismatchException("blob", d.digest(), "file is " + size
                    + " bytes, the descriptor says " + d.size());
        }
        byte[] bytes = Files.readAllBytes(file);
        d.digest().verify("blob", bytes, d.size());
        return bytes;
    }

    /** Deletes a directory tree (used for temporary directories this package made). */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (DirectoryNotEmptyException e) {
                    // a concurrent writer; leave it
                }
            }
        }
    }
}
