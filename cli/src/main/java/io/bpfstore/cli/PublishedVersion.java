package io.bpfstore.cli;

import io.bpfstore.store.client.PackageReference;
import picocli.CommandLine.Parameters;

/**
 * The argument of the commands that work on one published version of a package ({@code sign}, {@code verify}): its
 * name with a version or digest.
 */
final class PublishedVersion {
    @Parameters(paramLabel = "NAME", description = "NAMESPACE/NAME@VERSION or NAMESPACE/NAME@sha256:DIGEST")
    String name;

    /** The name as given. */
    PackageReference ref() {
        return PackageReference.parse(name);
    }

    /** The version or digest {@code ref} names; without one, a usage error asking for the version to {@code verb}. */
    static String reference(PackageReference ref, String verb) {
        return ref.reference().orElseThrow(() -> UserError.usage("name the version to " + verb + ": "
                + ref.repository() + "@VERSION"));
    }
}
