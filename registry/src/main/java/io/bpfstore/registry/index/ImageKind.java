package io.bpfstore.registry.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.registry.packages.InvalidPackageException;
import io.bpfstore.registry.packages.PackageLabels;
import io.bpfstore.registry.packages.PackageRelease;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.image.RepositoryName;
import io.bpfstore.store.image.SemVer;
import io.bpfstore.store.image.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What an image of another registry is, from its config labels: a bpfstore package ({@code io.bpfstore.package})
 * or a bpfman bytecode image ({@code io.ebpf.programs}, optionally {@code io.ebpf.maps}: JSON objects of function
 * name to program type and map name to map type, as bpfman's image builder writes them). Anything else is not
 * indexed.
 */
final class ImageKind {
    /** The kind recorded for a bpfstore package. */
    static final String BPFSTORE = "bpfstore";
    /** The kind recorded for a bpfman bytecode image. */
    static final String BPFMAN = "bpfman";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DESCRIPTION = "org.opencontainers.image.description";
    private static final String LICENSES = "org.opencontainers.image.licenses";

    private final PackageLabels labels = new PackageLabels();

    /** A recognised image. @param kind bpfstore or bpfman @param release the version to index */
    record Recognised(String kind, PackageRelease release) {
        String repository() {
            return release.namespace() + "/" + release.name();
        }
    }

    /** The package version a tag names: a semantic version, or one with a leading {@code v}. */
    static Optional<String> version(String tag) {
        if (SemVer.isPackageVersion(tag)) {
            return Optional.of(tag);
        }
        if (tag.startsWith("v") && SemVer.isPackageVersion(tag.substring(1))) {
            return Optional.of(tag.substring(1));
        }
        return Optional.empty();
    }

    /**
     * Recognises the image.
     *
     * @param bpfmanNamespace the namespace bpfman images are indexed under
     * @param origin          shown as the package's origin ({@code URL/repository:tag})
     * @throws InvalidPackageException if the labels are present but malformed
     */
    Optional<Recognised> recognise(byte[] config, String remoteRepository, String version, String digest,
                                   String bpfmanNamespace, String origin) throws InvalidPackageException {
        JsonNode l;
        try {
            l = StrictJson.object(config, "config").path("config").path("Labels");
        } catch (InvalidImageException e) {
            throw new InvalidPackageException(e.getMessage());
        }
        if (l.has(PackageLabels.PACKAGE)) {
            JsonNode meta = PackageLabels.parseLabel(l, PackageLabels.PACKAGE);
            String repository = meta.path("namespace").asText("") + "/" + meta.path("name").asText("");
            if (!RepositoryName.isRepository(repository)) {
                throw new InvalidPackageException("label " + PackageLabels.PACKAGE + " names no NAMESPACE/NAME");
            }
            Optional<PackageRelease> r = labels.read(config, repository, version, digest);
            if (r.isEmpty()) {
                return Optional.empty();
            }
            PackageRelease p = r.get();
            ObjectNode withOrigin;
            try {
                withOrigin = (ObjectNode) JSON.readTree(p.metadata());
            } catch (java.io.IOException e) {
                throw new InvalidPackageException("label " + PackageLabels.PACKAGE + ": " + e.getMessage());
            }
            withOrigin.put("origin", origin);
            return Optional.of(new Recognised(BPFSTORE, new PackageRelease(p.namespace(), p.name(), p.version(),
                    p.digest(), p.description(), p.license(), p.programTypes(), p.attachTypes(), p.helpers(),
                    p.mapTypes(), withOrigin.toString())));
        }
        if (!l.has(PackageLabels.PROGRAMS)) {
            return Optional.empty();
        }
        String name = packageName(remoteRepository);
        ObjectNode meta = JSON.createObjectNode();
        meta.put("namespace", bpfmanNamespace).put("name", name).put("version", version);
        String description = l.path(DESCRIPTION).asText("bpfman bytecode image " + remoteRepository);
        String license = l.path(LICENSES).asText("");
        meta.put("description", description).put("license", license).put("origin", origin).put("kind", BPFMAN);
        TreeSet<String> types = new TreeSet<>();
        ArrayNode programs = meta.putArray("programs");
        PackageLabels.parseLabel(l, PackageLabels.PROGRAMS).properties().forEach(e -> {
            String type = e.getValue().asText("").toLowerCase(Locale.ROOT);
            programs.addObject().put("name", e.getKey()).put("type", type);
            if (!type.isEmpty()) {
                types.add(type);
            }
        });
        ArrayNode maps = meta.putArray("maps");
        TreeSet<String> mapTypes = new TreeSet<>();
        if (l.has(PackageLabels.MAPS)) {
            PackageLabels.parseLabel(l, PackageLabels.MAPS).properties().forEach(e -> {
                String type = e.getValue().asText("");
                maps.addObject().put("name", e.getKey()).put("type", type);
                if (!type.isEmpty()) {
                    mapTypes.add(type.toLowerCase(Locale.ROOT));
                }
            });
        }
        return Optional.of(new Recognised(BPFMAN, new PackageRelease(bpfmanNamespace, name, version, digest,
                description, license, new ArrayList<>(types), List.of(), List.of(), new ArrayList<>(mapTypes),
                meta.toString())));
    }

    /** A package name from the last segment of a repository path (lower case, other characters as '-'). */
    static String packageName(String repository) {
        String last = repository.substring(repository.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        String name = last.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return RepositoryName.isValid(name) ? name : "image";
    }
}
