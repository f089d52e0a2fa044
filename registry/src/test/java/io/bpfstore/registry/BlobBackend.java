package io.bpfstore.registry;

import io.bpfstore.registry.server.BlobLocation;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.storage.StoredBlob;
import io.bpfstore.registry.storage.oci.OciBlobLocation;
import io.bpfstore.registry.storage.oci.OciBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/** Where the registry under test keeps blobs: the contract tests run once with each (no mocks). */
enum BlobBackend {
    /** {@code blobs/} in the data directory. */
    FILES,
    /** A repository of its own in the shared docker-registry ({@link SharedDockerRegistry}). */
    OCI;

    /** {@code config} with blobs kept in this backend. */
    RegistryConfig apply(RegistryConfig config) {
        return this == FILES ? config : config.withBlobs(new BlobLocation.Registry(freshRepository()));
    }

    /** A repository of the shared docker-registry no other test uses. */
    static OciBlobLocation freshRepository() {
        return OciBlobLocation.parse("oci+" + SharedDockerRegistry.process().url() + "/bpfstore-test/blobs-"
                + UUID.randomUUID().toString().substring(0, 8), Optional.empty());
    }

    /** The blobs stored, as hex digests: files under {@code blobs/sha256}, or the OCI store's anchored blobs. */
    List<String> storedBlobs(RegistryConfig config, Path data) throws Exception {
        if (config.blobs() instanceof BlobLocation.Registry r) {
            return OciBlobStore.open(r.location(), 1 << 20, Clock.systemUTC()).list().stream()
                    .map(StoredBlob::digest).map(d -> d.hex()).sorted().toList();
        }
        try (Stream<Path> s = Files.walk(data.resolve("blobs/sha256"))) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * The staged uploads: files under {@code blobs/uploads}, or the backend's upload sessions of the repository that
     * still hold bytes, as docker-registry keeps them on disk ({@code _uploads/<id>/data} of the repository; a
     * cancelled session leaves only its {@code hashstates/}, which the backend's upload purging removes).
     */
    List<String> stagedUploads(RegistryConfig config, Path data) throws Exception {
        Path dir;
        if (config.blobs() instanceof BlobLocation.Registry r) {
            Path storage = SharedDockerRegistry.process().blobFile("0".repeat(64)) // …/v2/blobs/sha256/00/<hex>/data
                    .getParent().getParent().getParent().getParent().getParent();
            dir = storage.resolve("repositories").resolve(r.location().repository()).resolve("_uploads");
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
        } else {
            dir = data.resolve("blobs/uploads");
        }
        boolean oci = config.blobs() instanceof BlobLocation.Registry;
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !oci || Files.exists(p.resolve("data"))).map(p -> p.getFileName().toString())
                    .sorted().toList();
        }
    }
}
