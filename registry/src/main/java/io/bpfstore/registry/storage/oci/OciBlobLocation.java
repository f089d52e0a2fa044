package io.bpfstore.registry.storage.oci;

import io.bpfstore.store.client.Credentials;
import io.bpfstore.store.image.RepositoryName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an {@link OciBlobStore} keeps blobs: {@code oci+http(s)://HOST[:PORT]/PREFIX}, the repository
 * {@code PREFIX} of the registry at {@code http(s)://HOST[:PORT]}.
 *
 * @param registry    the registry's base URL ({@code http://host:port}, no path)
 * @param repository  the repository holding every blob
 * @param credentials for Basic authentication or the token flow; empty for anonymous access
 */
public record OciBlobLocation(URI registry, String repository, Optional<Credentials> credentials) {
    /** The scheme prefix that marks a blob store location as an OCI registry. */
    public static final String SCHEME_PREFIX = "oci+";

    /** Checks the parts. */
    public OciBlobLocation {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(credentials, "credentials");
        if (!RepositoryName.isRepository(repository)) {
            throw new IllegalArgumentException("not a repository name: " + repository);
        }
    }

    /** True if {@code spec} names an OCI registry ({@code oci+http://} or {@code oci+https://}). */
    public static boolean isOci(String spec) {
        return spec.startsWith(SCHEME_PREFIX + "http://") || spec.startsWith(SCHEME_PREFIX + "https://");
    }

    /**
     * Parses {@code oci+http(s)://HOST[:PORT]/PREFIX}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static OciBlobLocation parse(String spec, Optional<Credentials> credentials) {
        if (!isOci(spec)) {
            throw new IllegalArgumentException("expected oci+http://HOST[:PORT]/PREFIX or oci+https://…, got \""
                    + spec + "\"");
        }
        URI uri;
        try {
            uri = new URI(spec.substring(SCHEME_PREFIX.length()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed blob store URL \"" + spec + "\": " + e.getReason());
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("blob store URL \"" + spec
                    + "\" needs a host and no user, query or fragment (credentials come from the environment"
                    + " or the credentials file)");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
        if (!RepositoryName.isRepository(path)) {
            throw new IllegalArgumentException("blob store URL \"" + spec
                    + "\" needs a repository path (lower-case, e.g. /bpfstore/blobs), got \"/" + path + "\"");
        }
        URI registry = URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
        return new OciBlobLocation(registry, path, credentials);
    }

    /** The registry's address as {@code bpfstore login} keys credentials: {@code http(s)://host[:port]}. */
    public URI credentialsKey() {
        return registry;
    }

    @Override
    public String toString() {
        return SCHEME_PREFIX + registry + "/" + repository;
    }
}
