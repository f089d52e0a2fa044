package io.bpfstore.store.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.store.build.PackageMetadata;
import io.bpfstore.store.image.ImageManifest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Checks that pulled content is the package asked for. A signature binds a manifest digest to a repository, not to
 * a tag: a registry whose storage was tampered with can serve an older, validly signed version under a newer tag.
 * The package label (inside the config, which the manifest digest covers) names the package and its version, so
 * comparing them with the reference closes that gap.
 */
final class PackageIdentity {
    private PackageIdentity() {
    }

    /**
     * Throws {@link SubstitutedPackageException} unless the config's package label, if it has one, names
     * {@code repository}'s name (its last segment) and, when given, {@code version}. Images without the label (not packages) pass.
     *
     * @return the version the label names; empty for an image without the label
     */
    static Optional<String> require(byte[] config, String repository, Optional<String> version) {
        JsonNode labels = ImageManifest.json(config, "config").path("config").path("Labels");
        JsonNode label = labels.path(PackageMetadata.PACKAGE_LABEL);
        if (label.isMissingNode()) {
            return Optional.empty();
        }
        String what = repository + version.map(v -> "@" + v).orElse("");
        if (!label.isTextual()) {
            throw new SubstitutedPackageException(what, "label " + PackageMetadata.PACKAGE_LABEL + " is not a string");
        }
        JsonNode meta = ImageManifest.json(label.asText().getBytes(StandardCharsets.UTF_8),
                "label " + PackageMetadata.PACKAGE_LABEL);
        // the name, not the namespace: a package may be mirrored into another namespace, never renamed
        String name = meta.path("name").asText("");
        if (!name.equals(repository.substring(repository.lastIndexOf('/') + 1))) {
            throw new SubstitutedPackageException(what, "the registry served package " + meta.path("namespace")
                    .asText("") + "/" + name);
        }
        String served = meta.path("version").asText("");
        if (version.isPresent() && !version.get().equals(served)) {
            throw new SubstitutedPackageException(what, "the registry served version " + served + " under tag "
                    + version.get());
        }
        return Optional.of(served);
    }
}
