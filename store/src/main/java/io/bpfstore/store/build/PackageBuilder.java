package io.bpfstore.store.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.analysis.permissions.Evidence;
import io.bpfstore.analysis.permissions.PermissionAnalyzer;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.elf.ElfFile;
import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.MediaTypes;
import io.bpfstore.store.manifest.Hook;
import io.bpfstore.store.manifest.ManifestDefaults;
import io.bpfstore.store.manifest.ManifestException;
import io.bpfstore.store.manifest.ManifestParser;
import io.bpfstore.store.manifest.PackageManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the OCI image of a package (see docs/package-format.md): one gzip'd tar layer holding the object, an
 * image config whose labels describe it, and a manifest with the OCI annotations. Same inputs, same bytes.
 *
 * <pre>{@code
 * Image image = PackageBuilder.build(Path.of("xdp_counter.o"), Optional.of(Path.of("bpfstore.yaml")), List.of());
 * OciLayout.write(image, "1.2.0", Path.of("out"));
 * }</pre>
 */
public final class PackageBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PackageBuilder() {
    }

    /**
     * Builds from files: {@code input} is the object or C source (empty: the manifest's {@code object}), the
     * manifest is optional (without one, {@link ManifestDefaults} derives it). C sources are compiled with
     * {@link CCompiler} into a temporary directory, with {@code includes} as extra {@code -I} directories.
     */
    public static Image build(Optional<Path> input, Optional<Path> manifestFile, List<Path> includes)
            throws IOException {
        return build(input, manifestFile, includes, Optional.empty());
    }

    /** As {@link #build(Optional, Optional, List)}, with the package's namespace replaced by {@code namespace}. */
    public static Image build(Optional<Path> input, Optional<Path> manifestFile, List<Path> includes,
                              Optional<String> namespace) throws IOException {
        Optional<PackageManifest> manifest = manifestFile.isPresent()
                ? Optional.of(ManifestParser.read(manifestFile.get())) : Optional.empty();
        Path file = input.orElseGet(() -> manifest.map(m -> manifestFile.get().toAbsolutePath().getParent()
                .resolve(m.object())).orElseThrow(() -> new ManifestException("object",
                "no object file given and no manifest to name one")));
        if (file.getFileName().toString().endsWith(".c")) {
            Path temp = Files.createTempDirectory("bpfstore-cc");
            try {
                Path object = CCompiler.onPath().compile(file, temp, includes);
                return fromObjectFile(object, manifest, namespace);
            } finally {
                try (var s = Files.list(temp)) {
                    for (Path p : s.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(temp);
            }
        }
        return fromObjectFile(file, manifest, namespace);
    }

    private static Image fromObjectFile(Path file, Optional<PackageManifest> manifest, Optional<String> namespace)
            throws IOException {
        long size = Files.size(file);
        if (size > ElfFile.MAX_FILE_SIZE) {
            throw new MalformedObjectException("ELF file", MalformedObjectException.NO_OFFSET,
                    "file of " + size + " bytes is larger than the " + ElfFile.MAX_FILE_SIZE + "-byte limit");
        }
        byte[] bytes = Files.readAllBytes(file);
        String fileName = file.getFileName().toString();
        int dot = fileName.indexOf('.');
        BpfObject object = BpfObject.parse(bytes, dot > 0 ? fileName.substring(0, dot) : fileName);
        PackageManifest m = manifest.orElseGet(() -> ManifestDefaults.derive(object, fileName));
        if (namespace.isPresent()) {
            m = m.withNamespace(namespace.get());
        }
        return build(object, bytes, fileName, m);
    }

    /**
     * Builds the image of {@code object} (whose bytes are {@code bytes}) stored as {@code fileName}. Refuses
     * ({@link UndeclaredPermissionsException}) an object that needs permissions the manifest does not declare.
     */
    public static Image build(BpfObject untyped, byte[] bytes, String fileName, PackageManifest manifest) {
        BpfObject object = manifest.typed(untyped);
        List<Hook> hooks = ManifestDefaults.resolveHooks(manifest, object);
        try {
            io.bpfstore.bytecode.object.GlobalValues.resolve(object, manifest.globals());
        } catch (io.bpfstore.bytecode.object.GlobalValueException e) {
            throw new ManifestException("globals." + e.variable(), e.getMessage());
        }
        List<Evidence> undeclared = manifest.declaredPermissions().undeclared(PermissionAnalyzer.derive(object));
        if (!undeclared.isEmpty()) {
            throw new UndeclaredPermissionsException(manifest.repository() + " " + manifest.version().text(),
                    undeclared);
        }
        byte[] tar = LayerTar.tar(fileName, bytes);
        byte[] layer = LayerTar.gzip(tar);

        Map<String, String> labels = new TreeMap<>();
        labels.put(PackageMetadata.PACKAGE_LABEL, json(PackageMetadata.of(manifest, hooks, object, fileName)));
        labels.put(PackageMetadata.PROGRAMS_LABEL, json(PackageMetadata.programs(object)));
        labels.put(PackageMetadata.MAPS_LABEL, json(PackageMetadata.maps(object)));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", architecture());
        config.put("os", "linux");
        config.put("config", Map.of("Labels", labels));
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", List.of(Digest.of(tar).toString()));
        config.put("rootfs", rootfs);
        byte[] configBytes = bytes(config);

        Map<String, String> annotations = new TreeMap<>();
        annotations.put("org.opencontainers.image.title", manifest.name());
        annotations.put("org.opencontainers.image.version", manifest.version().text());
        annotations.put("org.opencontainers.image.licenses", manifest.license());
        if (!manifest.description().isEmpty()) {
            annotations.put("org.opencontainers.image.description", manifest.description());
        }
        manifest.homepage().ifPresent(h -> {
            annotations.put("org.opencontainers.image.source", h);
            annotations.put("org.opencontainers.image.url", h);
        });
        if (!manifest.authors().isEmpty()) {
            annotations.put("org.opencontainers.image.authors", String.join(", ", manifest.authors()));
        }
        Map<String, Object> ociManifest = new LinkedHashMap<>();
        ociManifest.put("schemaVersion", 2);
        ociManifest.put("mediaType", MediaTypes.MANIFEST);
        ociManifest.put("config", descriptor(Descriptor.of(MediaTypes.CONFIG, configBytes)));
        ociManifest.put("layers", List.of(descriptor(Descriptor.of(MediaTypes.LAYER_TAR_GZIP, layer))));
        ociManifest.put("annotations", annotations);
        byte[] manifestBytes = bytes(ociManifest);
        return Image.of(manifestBytes, Map.of(Digest.of(configBytes), configBytes, Digest.of(layer), layer));
    }

    /** The host's architecture as OCI (GOARCH) names it. */
    public static String architecture() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> System.getProperty("os.arch");
        };
    }

    private static Map<String, Object> descriptor(Descriptor d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mediaType", d.mediaType());
        m.put("digest", d.digest().toString());
        m.put("size", d.size());
        return m;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising package metadata", e);
        }
    }

    private static byte[] bytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising an OCI document", e);
        }
    }
}
