package io.bpfstore.registry.server;

import io.bpfstore.registry.limits.RegistryLimits;
import io.bpfstore.registry.maintenance.MaintenancePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run a registry.
 *
 * @param host            address to listen on (e.g. {@code 127.0.0.1})
 * @param port            port, 0 for any free one
 * @param storage         where the state is: a data directory (embedded) or a database and a shared blob store
 *                        (scaled); the blob location is part of it
 * @param privatePull     if true, pulling needs an authenticated publisher
 * @param maxBlobSize     largest blob accepted, bytes
 * @param maxManifestSize largest manifest accepted, bytes
 * @param tokenLifetime   lifetime of tokens issued by {@code /token}
 * @param maintenance     when abandoned uploads expire and unreferenced blobs are collected
 * @param limits          caps on uploads, login and token rates, and analysis
 * @param mutableVersions if true, a package version may be pushed again with other content (replacing it);
 *                        by default a published version is immutable and such a push is refused
 * @param operations      access log and shutdown drain
 */
public record RegistryConfig(String host, int port, RegistryStorage storage, boolean privatePull, long maxBlobSize,
                             int maxManifestSize, Duration tokenLifetime, MaintenancePolicy maintenance,
                             RegistryLimits limits, boolean mutableVersions, Operations operations) {
    /** Default largest blob: 512 MiB (eBPF objects are small; this still fits ordinary images). */
    public static final long DEFAULT_MAX_BLOB = 512L << 20;
    /** Default largest manifest: 4 MiB, as the reference registry. */
    public static final int DEFAULT_MAX_MANIFEST = 4 << 20;
    /** Default token lifetime: 5 minutes. */
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(5);

    /** Checks ranges. */
    public RegistryConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(storage, "storage");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxBlobSize <= 0) {
            throw new IllegalArgumentException("maximum blob size must be positive: " + maxBlobSize);
        }
        if (maxManifestSize <= 0) {
            throw new IllegalArgumentException("maximum manifest size must be positive: " + maxManifestSize);
        }
        Objects.requireNonNull(maintenance, "maintenance");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(operations, "operations");
        if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
            throw new IllegalArgumentException("token lifetime must be positive: " + tokenLifetime);
        }
    }

    /** Defaults for everything but address and storage. */
    public static RegistryConfig of(String host, int port, RegistryStorage storage) {
        return new RegistryConfig(host, port, storage, false, DEFAULT_MAX_BLOB, DEFAULT_MAX_MANIFEST,
                DEFAULT_TOKEN_LIFETIME, MaintenancePolicy.DEFAULT, RegistryLimits.DEFAULT, false, Operations.DEFAULT);
    }

    /** Defaults for everything but address, in the embedded set-up on {@code dataDir} (blobs in it). */
    public static RegistryConfig of(String host, int port, Path dataDir) {
        return of(host, port, new RegistryStorage.Embedded(dataDir));
    }

    /** Where the blob bytes are (the storage's blob location). */
    public BlobLocation blobs() {
        return storage.blobs();
    }

    /** This configuration with private pull switched on or off. */
    public RegistryConfig withPrivatePull(boolean value) {
        return new RegistryConfig(host, port, storage, value, maxBlobSize, maxManifestSize, tokenLifetime, maintenance, limits, mutableVersions,
                operations);
    }

    /** This configuration with another blob size limit. */
    public RegistryConfig withMaxBlobSize(long value) {
        return new RegistryConfig(host, port, storage, privatePull, value, maxManifestSize, tokenLifetime, maintenance, limits, mutableVersions,
                operations);
    }

    /** This configuration with other caps. */
    public RegistryConfig withLimits(RegistryLimits value) {
        return new RegistryConfig(host, port, storage, privatePull, maxBlobSize, maxManifestSize, tokenLifetime,
                maintenance, value, mutableVersions, operations);
    }

    /** This configuration with another storage upkeep policy. */
    public RegistryConfig withMaintenance(MaintenancePolicy value) {
        return new RegistryConfig(host, port, storage, privatePull, maxBlobSize, maxManifestSize, tokenLifetime, value, limits,
                mutableVersions, operations);
    }

    /** This configuration with published versions replaceable ({@code true}) or immutable (the default). */
    public RegistryConfig withMutableVersions(boolean value) {
        return new RegistryConfig(host, port, storage, privatePull, maxBlobSize, maxManifestSize, tokenLifetime,
                maintenance, limits, value, operations);
    }

    /** This configuration with blobs kept elsewhere (in the same set-up). */
    public RegistryConfig withBlobs(BlobLocation value) {
        return withStorage(storage.withBlobs(value));
    }

    /** This configuration with its state somewhere else (another data directory, or the scaled set-up). */
    public RegistryConfig withStorage(RegistryStorage value) {
        return new RegistryConfig(host, port, value, privatePull, maxBlobSize, maxManifestSize, tokenLifetime,
                maintenance, limits, mutableVersions, operations);
    }

    /** This configuration with another access log or shutdown drain. */
    public RegistryConfig withOperations(Operations value) {
        return new RegistryConfig(host, port, storage, privatePull, maxBlobSize, maxManifestSize, tokenLifetime,
                maintenance, limits, mutableVersions, value);
    }
}
