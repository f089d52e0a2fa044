package io.bpfstore.install;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.store.build.PackageContents;
import io.bpfstore.store.build.PackageMetadata;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.ImageManifest;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.store.manifest.Hook;
import io.bpfstore.store.manifest.ManifestDefaults;
import io.bpfstore.store.image.SemVer;
import io.bpfstore.store.client.PackageReference;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.signing.SignaturePolicy;
import io.bpfstore.store.signing.VerifiedPull;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Turns what the user named into a {@link ResolvedPackage}: a registry reference {@code NS/NAME[@VERSION|@DIGEST]}
 * (pulled with digests checked and the signature verified by the store's {@link VerifiedPull}), a local OCI layout
 * directory ({@code DIR} or {@code DIR@REF}, digests checked by {@link OciLayout#read}), or a bare object file
 * ({@code .o}, manifest derived by {@link ManifestDefaults}; meant for tests and development).
 */
public final class PackageSource {
    /** Largest object file a package layer may hold. */
    static final long MAX_OBJECT = 64L << 20;
    private static final int TAR_BLOCK = 512;

    private PackageSource() {
    }

    /** Whether {@code name} names a local path (layout directory or object file) rather than a registry package. */
    public static boolean isLocal(String name) {
        String path = name.contains("@") && !Files.exists(Path.of(name)) ? name.substring(0, name.lastIndexOf('@')) : name;
        return path.startsWith("/") || path.startsWith(".") || Files.exists(Path.of(path));
    }

    /**
     * Resolves a local layout directory or object file.
     *
     * @throws InstallException if there is no such file or it is not a package
     */
    public static ResolvedPackage local(String name) {
        return local(name, Optional.empty());
    }

    /** As {@link #local(String)}, keeping the package in {@code cache} (for restore). */
    static ResolvedPackage local(String name, Optional<PackageCache> cache) {
        Path path = Path.of(name);
        Optional<String> ref = Optional.empty();
        if (!Files.exists(path) && name.contains("@")) {
            path = Path.of(name.substring(0, name.lastIndexOf('@')));
            ref = Optional.of(name.substring(name.lastIndexOf('@') + 1));
        }
        try {
            if (Files.isDirectory(path)) {
                Image image = OciLayout.read(path, ref);
                cache.ifPresent(c -> c.putImage(image, Optional.empty()));
                return fromImage(image, path.toAbsolutePath() + ref.map(r -> "@" + r).orElse(""), Optional.empty());
            }
            if (Files.isRegularFile(path)) {
                if (Files.size(path) > MAX_OBJECT) {
                    throw new InstallException(path + ": larger than " + MAX_OBJECT + " bytes, not an eBPF object");
                }
                byte[] bytes = Files.readAllBytes(path);
                cache.ifPresent(c -> c.putBlob(bytes));
                String fileName = path.getFileName().toString();
                String objectName = objectName(fileName);
                BpfObject object = BpfObject.parse(bytes, objectName);
                var manifest = ManifestDefaults.derive(object, fileName);
                return new ResolvedPackage(manifest.repository(), manifest.name(), manifest.version().text(),
                        path.toAbsolutePath().toString(), Digest.of(bytes).toString(), objectName, bytes,
                        manifest.hooks(), Optional.empty());
            }
        } catch (IOException e) {
            throw new InstallException("cannot read package " + path + ": " + e.getMessage(), e);
        }
        throw new InstallException("unknown package " + name + ": no such file or directory");
    }

    /**
     * Pulls {@code name} from the registry {@code client} talks to, verifying digests and the signature as
     * {@code policy} says; without a version, the highest released version tagged in the registry.
     *
     * @throws InstallException if the reference is malformed or the package has no released version
     */
    public static ResolvedPackage pull(String name, RegistryClient client, SignaturePolicy policy) {
        return pull(name, client, policy, Optional.empty(), Optional.empty());
    }

    /**
     * Like {@link #pull(String, RegistryClient, SignaturePolicy)}, refusing a version lower than one already pulled
     * unless {@code rollback} allows a downgrade, and keeping the image and its signature in {@code cache}.
     */
    static ResolvedPackage pull(String name, RegistryClient client, SignaturePolicy policy,
                                Optional<VerifiedPull.Rollback> rollback, Optional<PackageCache> cache) {
        PackageReference ref;
        try {
            ref = PackageReference.parse(name);
        } catch (IllegalArgumentException e) {
            throw new InstallException("unknown package " + name + ": " + e.getMessage(), e);
        }
        String reference = ref.reference().orElseGet(() -> client.tags(ref.repository()).stream()
                .filter(SemVer::isValid).map(SemVer::new).filter(v -> !v.isPrerelease()).max(SemVer::compareTo)
                .map(SemVer::text).orElseThrow(() -> new InstallException("unknown package " + ref.repository()
                        + ": it has no released version in " + client.base())));
        Path temp = null;
        try {
            temp = Files.createTempDirectory("bpfstore-install");
            Path out = temp.resolve("layout");
            VerifiedPull.Pulled pulled = VerifiedPull.pull(client, ref.repository(), reference, null, out, policy,
                    rollback);
            Image image = OciLayout.read(out, Optional.empty());
            cache.ifPresent(c -> c.putImage(image, pulled.signature()));
            ResolvedPackage p = fromImage(image, ref.repository() + "@" + reference,
                    pulled.verified().map(v -> v.key().fingerprint()));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("pull " + ref + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    OciLayout.deleteTree(temp);
                } catch (IOException ignored) {
                    // a temporary download; the OS cleans /tmp
                }
            }
        }
    }

    /** The package in an image: identity and hooks from its package label, the object from its layer. */
    static ResolvedPackage fromImage(Image image, String source, Optional<String> signedBy) {
        String label = image.label(PackageMetadata.PACKAGE_LABEL).orElseThrow(() -> new InstallException(
                source + ": image " + image.digest() + " has no " + PackageMetadata.PACKAGE_LABEL
                        + " label: not a bpfstore package"));
        JsonNode doc = ImageManifest.json(label.getBytes(StandardCharsets.UTF_8), "label " + PackageMetadata.PACKAGE_LABEL);
        if (image.manifest().layers().size() != 1) {
            throw new InvalidImageException("image " + image.digest(), "a package has one layer, this image has "
                    + image.manifest().layers().size());
        }
        Descriptor layer = image.manifest().layers().getFirst();
        TarEntry entry = singleFile(image.blobs().get(layer.digest()), "layer " + layer.digest());
        List<Hook> hooks = new ArrayList<>();
        for (JsonNode h : doc.path("hooks")) {
            List<String> proceed = new ArrayList<>();
            h.path("proceed_on").forEach(a -> proceed.add(a.asText()));
            hooks.add(new Hook(h.path("program").asText(), h.path("priority").asInt(Hook.DEFAULT_PRIORITY), proceed));
        }
        String namespace = doc.path("namespace").asText();
        String name = doc.path("name").asText();
        if (name.isEmpty()) {
            throw new InvalidImageException("label " + PackageMetadata.PACKAGE_LABEL, "no package name");
        }
        Map<String, String> globals = new java.util.LinkedHashMap<>();
        doc.path("globals").properties().forEach(e -> globals.put(e.getKey(), e.getValue().asText()));
        // refuses malformed label types, or types for a program the object lacks, before anything is recorded
        PackageContents.typed(doc, BpfObject.parse(entry.bytes(), objectName(entry.name())), "image " + image.digest());
        return new ResolvedPackage(namespace + "/" + name, name, doc.path("version").asText(), source,
                image.digest().toString(), objectName(entry.name()), entry.bytes(), hooks, signedBy,
                PackageMetadata.programTypes(doc)).configured(globals);
    }

    /** The loader's object name for a file: up to the first dot, as libbpf and {@code PackageBuilder} do. */
    static String objectName(String fileName) {
        int dot = fileName.indexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    /** A file read from a tar archive. */
    record TarEntry(String name, byte[] bytes) {
    }

    /** The one regular file in a gzip-compressed tar layer, sizes bounded. */
    static TarEntry singleFile(byte[] layer, String where) {
        if (layer == null) {
            throw new InvalidImageException(where, "blob missing from the image");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(layer))) {
            byte[] header = new byte[TAR_BLOCK];
            TarEntry found = null;
            long offset = 0;
            while (in.readNBytes(header, 0, TAR_BLOCK) == TAR_BLOCK) {
                if (header[0] == 0) {
                    break; // end-of-archive block
                }
                String name = field(header, 0, 100);
                long size = octal(header, 124, 12, where, offset);
                if (size < 0 || size > MAX_OBJECT) {
                    throw new InvalidImageException(where, "tar entry " + name + " at offset " + offset
                            + " claims " + size + " bytes (limit " + MAX_OBJECT + ")");
                }
                byte type = header[156];
                byte[] content = in.readNBytes((int) size);
                if (content.length != size) {
                    throw new InvalidImageException(where, "tar entry " + name + " truncated at offset " + offset);
                }
                in.skipNBytes((TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK);
                if (type == '0' || type == 0) {
                    if (found != null) {
                        throw new InvalidImageException(where, "more than one file in the layer (" + found.name()
                                + ", " + name + ")");
                    }
                    String base = name.substring(name.lastIndexOf('/') + 1);
                    found = new TarEntry(base, content);
                }
                offset += TAR_BLOCK + size + (TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK;
            }
            if (found == null) {
                throw new InvalidImageException(where, "the layer holds no object file");
            }
            return found;
        } catch (IOException e) {
            throw new InvalidImageException(where, "not a gzip-compressed tar: " + e.getMessage());
        }
    }

    private static String field(byte[] header, int at, int length) {
        int end = at;
        while (end < at + length && header[end] != 0) {
            end++;
        }
        return new String(header, at, end - at, StandardCharsets.US_ASCII);
    }

    private static long octal(byte[] header, int at, int length, String where, long offset) {
        String text = field(header, at, length).trim();
        try {
            return text.isEmpty() ? 0 : Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new MalformedObjectException(where, offset + at, "tar size field \"" + text + "\" is not octal");
        }
    }
}
