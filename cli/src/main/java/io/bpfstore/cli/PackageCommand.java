package io.bpfstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.build.PackageMetadata;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.ImageManifest;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.layout.OciLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfstore package [FILE.o|FILE.c] [--manifest bpfstore.yaml] --out DIR}: builds the package's OCI image
 * and writes it as an OCI image layout.
 */
@Command(name = "package", description = "Package an eBPF object (or C source) as an OCI image layout.")
final class PackageCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..1",
            description = "eBPF object (.o) or C source (.c); default: the manifest's object")
    Path file;

    @Option(names = {"-m", "--manifest"}, paramLabel = "FILE",
            description = "bpfstore.yaml (without FILE: ./bpfstore.yaml; without any: derived from the object)")
    Path manifest;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "layout directory to create")
    Path out;

    @Option(names = "--namespace", paramLabel = "NS", description = "publisher namespace (overrides the manifest)")
    String namespace;

    @Option(names = {"-I", "--include"}, paramLabel = "DIR", description = "extra include directory for C sources")
    List<Path> includes = List.of();

    @Option(names = "--max-blob-size", paramLabel = "N", defaultValue = "512M",
            description = "refuse a package with a blob over this many bytes (K/M/G suffix), as a registry would at push; "
                    + "default: the registry's default limit, ${DEFAULT-VALUE}")
    String maxBlobSize;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws IOException {
        Optional<Path> manifestFile = Optional.ofNullable(manifest)
                .or(() -> file == null && Files.exists(Path.of("bpfstore.yaml"))
                        ? Optional.of(Path.of("bpfstore.yaml")) : Optional.empty());
        if (file == null && manifestFile.isEmpty()) {
            throw UserError.usage("give an object file (FILE.o or FILE.c) or a manifest (--manifest bpfstore.yaml)");
        }
        Image image = PackageBuilder.build(Optional.ofNullable(file), manifestFile, includes,
                Optional.ofNullable(namespace));
        JsonNode pkg = packageLabel(image);
        String version = pkg.path("version").asText();
        requireWithin(image, ServeCommand.parseSize("--max-blob-size", maxBlobSize));
        OciLayout.write(image, version, out);
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("namespace", pkg.path("namespace").asText());
        doc.put("name", pkg.path("name").asText());
        doc.put("version", version);
        doc.put("layout", out.toString());
        doc.put("manifest", image.digest().toString());
        doc.put("manifest_size", image.manifestBytes().length);
        return output.print(doc, w -> {
            Terminal.printf(w, "packaged %s/%s %s into %s%n", pkg.path("namespace").asText(), pkg.path("name").asText(),
                    version, out);
            w.printf("manifest %s (%d bytes)%n", image.digest(), image.manifestBytes().length);
        });
    }

    /**
     * Refuses, before anything is written, a package a registry would refuse for its size: a blob over
     * {@code maxBlob}, or a manifest over the registry's manifest limit.
     */
    private static void requireWithin(Image image, long maxBlob) {
        image.blobs().forEach((digest, bytes) -> {
            if (bytes.length > maxBlob) {
                throw new UserError("the package's blob " + digest + " is " + bytes.length + " bytes, over the "
                        + maxBlob + "-byte limit a registry applies at push (--max-blob-size; bpfstore serve "
                        + "--max-blob-size sets a registry's)");
            }
        });
        if (image.manifestBytes().length > io.bpfstore.registry.server.RegistryConfig.DEFAULT_MAX_MANIFEST) {
            throw new UserError("the package's manifest is " + image.manifestBytes().length + " bytes, over the "
                    + io.bpfstore.registry.server.RegistryConfig.DEFAULT_MAX_MANIFEST + "-byte limit of registries");
        }
    }

    /** The {@code io.bpfstore.package} label of an image, parsed. */
    static JsonNode packageLabel(Image image) {
        String label = image.label(PackageMetadata.PACKAGE_LABEL).orElseThrow(() -> new InvalidImageException(
                "image " + image.digest(), "no " + PackageMetadata.PACKAGE_LABEL + " label: not a bpfstore package"));
        return ImageManifest.json(label.getBytes(StandardCharsets.UTF_8), "label " + PackageMetadata.PACKAGE_LABEL);
    }
}
