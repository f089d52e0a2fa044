package io.bpfstore.store.client;

import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.InvalidNameException;
import io.bpfstore.store.image.RepositoryName;
import io.bpfstore.store.image.SemVer;
import java.util.Optional;

/**
 * What a user names on the command line: {@code NAMESPACE/NAME}, optionally {@code @VERSION} or
 * {@code @sha256:DIGEST}.
 *
 * @param namespace the publisher's namespace
 * @param name      the package name
 * @param version   a version (tag), if given
 * @param digest    a manifest digest, if given
 */
public record PackageReference(String namespace, String name, Optional<String> version, Optional<Digest> digest) {
    /** Parses the text; throws {@link InvalidNameException} saying what is wrong. */
    public static PackageReference parse(String text) {
        if (text == null || text.length() > 400) {
            throw new InvalidNameException("package reference missing or too long");
        }
        int at = text.indexOf('@');
        String repo = at < 0 ? text : text.substring(0, at);
        int slash = repo.indexOf('/');
        if (slash < 0 || repo.indexOf('/', slash + 1) >= 0) {
            throw new InvalidNameException("\"" + text + "\": name packages as NAMESPACE/NAME[@VERSION|@sha256:...]");
        }
        String namespace = repo.substring(0, slash);
        String name = repo.substring(slash + 1);
        for (String[] part : new String[][] {{"namespace", namespace}, {"name", name}}) {
            String problem = RepositoryName.problem(part[1]);
            if (problem != null) {
                throw new InvalidNameException("\"" + text + "\": " + part[0] + " " + problem);
            }
        }
        if (at < 0) {
            return new PackageReference(namespace, name, Optional.empty(), Optional.empty());
        }
        String ref = text.substring(at + 1);
        if (ref.startsWith("sha256:")) {
            if (!Digest.isDigest(ref)) {
                throw new InvalidNameException("\"" + ref + "\" is not a sha256 digest (sha256:<64 hex digits>)");
            }
            return new PackageReference(namespace, name, Optional.empty(), Optional.of(Digest.parse(ref)));
        }
        return new PackageReference(namespace, name, Optional.of(new SemVer(ref).text()), Optional.empty());
    }

    /** {@code namespace/name}. */
    public String repository() {
        return namespace + "/" + name;
    }

    /** The tag or digest to ask the registry for; {@code latest} is not a thing here, so one must be given. */
    public Optional<String> reference() {
        return digest.map(Digest::toString).or(() -> version);
    }

    @Override
    public String toString() {
        return repository() + reference().map(r -> "@" + r).orElse("");
    }
}
