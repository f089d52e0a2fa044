package io.bpfstore.registry.index;

import io.bpfstore.store.image.RepositoryName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * An origin to index: {@code http(s)://HOST[:PORT]} (the whole registry, through its {@code /v2/_catalog}) or
 * {@code http(s)://HOST[:PORT]/REPOSITORY} (one repository).
 *
 * @param url        the URL as given, normalised (no trailing slash): the key of the origin
 * @param registry   the registry's base URL
 * @param repository the repository, if one was named
 */
public record Origin(String url, URI registry, Optional<String> repository) {

    /**
     * Parses an origin URL.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Origin parse(String text) {
        String t = text.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = new URI(t);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a URL: " + e.getReason());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("\"" + text + "\": expected http(s)://HOST[:PORT][/REPOSITORY]");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "");
        if (!path.isEmpty() && !RepositoryName.isRepository(path)) {
            throw new IllegalArgumentException("\"" + text + "\": \"" + path + "\" is not a repository name");
        }
        URI registry = URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
        return new Origin(t, registry, path.isEmpty() ? Optional.empty() : Optional.of(path));
    }
}
