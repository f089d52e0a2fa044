package io.bpfstore.cli;

import io.bpfstore.store.image.FetchPurpose;
import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.analysis.clash.CheckedPackage;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.store.build.PackageContents;
import io.bpfstore.store.config.StoreConfig;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.store.client.PackageReference;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.client.StoreClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The packages {@code bpfstore check} is given: object files, package directories ({@code package --out}, typed as
 * their label says), or {@code NAMESPACE/NAME[@VERSION]} references pulled
 * from the registry (the latest version when none is named). A pulled package is only analysed, never loaded, so its
 * signature is not required here; {@code install} verifies it.
 */
final class CheckedPackages {
    private CheckedPackages() {
    }

    /** Reads every argument, in order; {@code registry} is the --registry flag, if given. */
    static List<CheckedPackage> read(List<String> arguments, Optional<String> registry) throws IOException {
        List<CheckedPackage> out = new ArrayList<>();
        for (String arg : arguments) {
            Path file = Path.of(arg);
            if (Files.isDirectory(file)) {
                out.add(layout(file));
            } else if (Files.exists(file) || arg.endsWith(".o") || !arg.contains("/")) {
                out.add(new CheckedPackage(file.getFileName().toString(), BpfObject.read(file)));
            } else {
                out.add(pull(arg, registry)); // registry errors become one line in ErrorReporter
            }
        }
        return out;
    }

    private static CheckedPackage pull(String text, Optional<String> registry) throws IOException {
        PackageReference ref;
        try {
            ref = PackageReference.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError("\"" + text + "\" is neither an object file nor a package reference: " + e.getMessage());
        }
        StoreConfig config = StoreConfig.locate(System.getenv());
        URI uri = config.registry(registry, System.getenv());
        RegistryClient client = new RegistryClient(uri, config.credentials(uri)).withPurpose(FetchPurpose.CHECK);
        String reference = ref.reference().orElseGet(() -> latest(new StoreClient(uri, config.credentials(uri)), ref));
        Path temp = Files.createTempDirectory("bst-check-");
        Path layout = temp.resolve("layout");
        try {
            Descriptor manifest = client.pull(ref.repository(), reference, null, layout);
            Image image = OciLayout.read(layout, Optional.empty());
            if (image.manifest().layers().size() != 1) {
                throw new UserError(ref.repository() + "@" + reference + " has " + image.manifest().layers().size()
                        + " layers; a package has one");
            }
            String version = ref.digest().isPresent() ? manifest.digest().toString() : reference;
            return new CheckedPackage(ref.repository() + "@" + version, PackageContents.of(image).object());
        } catch (InvalidImageException e) {
            throw new UserError(ref.repository() + "@" + reference + ": " + e.getMessage(), e);
        } finally {
            OciLayout.deleteTree(temp);
        }
    }

    /** A package built by {@code bpfstore package --out DIR}: its object, typed as its label says. */
    private static CheckedPackage layout(Path dir) throws IOException {
        try {
            PackageContents contents = PackageContents.of(OciLayout.read(dir, Optional.empty()));
            return new CheckedPackage(contents.repository() + "@" + contents.version(), contents.object());
        } catch (InvalidImageException e) {
            throw new UserError(dir + ": " + e.getMessage(), e);
        }
    }

    /** The latest version the store API names for the package. */
    private static String latest(StoreClient store, PackageReference ref) {
        JsonNode info = store.packageInfo(ref.namespace(), ref.name());
        if (!info.path("latest").isTextual()) {
            throw new UserError(ref.repository() + " has no released version; name one with @VERSION");
        }
        return info.path("latest").asText();
    }
}
