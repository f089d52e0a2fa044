package io.bpfstore.registry.server;

import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.registry.storage.files.FileBlobStore;
import io.bpfstore.registry.storage.oci.OciBlobLocation;
import io.bpfstore.registry.storage.oci.OciBlobStore;
import io.bpfstore.store.client.Credentials;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/** Where the registry keeps blob bytes: {@code serve --blobs DIR|oci+http(s)://HOST[:PORT]/PREFIX}. */
public sealed interface BlobLocation {

    /** {@code blobs/} in the data directory (the embedded default). */
    BlobLocation IN_DATA_DIRECTORY = new Directory(Optional.empty());

    /**
     * Parses {@code --blobs}: an {@code oci+http(s)://} URL or a directory.
     *
     * @param credentials the credentials for a registry's base URL, if any
     * @throws IllegalArgumentException for a malformed URL
     */
    static BlobLocation parse(String spec, Function<URI, Optional<Credentials>> credentials) {
        if (OciBlobLocation.isOci(spec)) {
            OciBlobLocation bare = OciBlobLocation.parse(spec, Optional.empty());
            return new Registry(new OciBlobLocation(bare.registry(), bare.repository(),
                    credentials.apply(bare.credentialsKey())));
        }
        if (spec.contains("://")) {
            throw new IllegalArgumentException("blob store \"" + spec
                    + "\": expected a directory or oci+http(s)://HOST[:PORT]/PREFIX");
        }
        return new Directory(Optional.of(Path.of(spec)));
    }

    /** Opens the store; {@code dataDir} is the registry's data directory. */
    BlobStore open(Path dataDir, long maxBlobSize) throws IOException;

    /**
     * Opens the store as one of several instances that share it: nothing is swept at start, since another
     * instance's upload may be under way.
     *
     * @throws IllegalStateException for the data directory's own {@code blobs/}, which is never shared
     */
    BlobStore openShared(long maxBlobSize) throws IOException;

    /** Blobs in a directory of this machine. @param dir the directory; empty: {@code blobs/} of the data dir */
    record Directory(Optional<Path> dir) implements BlobLocation {
        @Override
        public BlobStore open(Path dataDir, long maxBlobSize) throws IOException {
            return FileBlobStore.open(dir.orElse(dataDir.resolve("blobs")), maxBlobSize);
        }

        @Override
        public BlobStore openShared(long maxBlobSize) throws IOException {
            return FileBlobStore.openShared(dir.orElseThrow(() -> new IllegalStateException(
                    "the data directory's blobs are not shared")), maxBlobSize);
        }

        @Override
        public String toString() {
            return dir.map(Path::toString).orElse("data directory");
        }
    }

    /** Blobs in a repository of an OCI registry. @param location the registry, repository and credentials */
    record Registry(OciBlobLocation location) implements BlobLocation {
        @Override
        public BlobStore open(Path dataDir, long maxBlobSize) throws IOException {
            return OciBlobStore.open(location, maxBlobSize, Clock.systemUTC());
        }

        @Override
        public BlobStore openShared(long maxBlobSize) throws IOException {
            return open(null, maxBlobSize); // the registry is the shared state; the instance keeps none
        }

        @Override
        public String toString() {
            return location.toString();
        }
    }
}
