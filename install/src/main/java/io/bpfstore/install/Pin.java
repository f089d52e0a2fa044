package io.bpfstore.install;

import java.nio.file.Path;

/**
 * One pinned kernel object an installation owns, as recorded.
 *
 * @param kind       map, program or link
 * @param name       the object's name in the package (map or program name)
 * @param generation the generation it belongs to (links: 0, they outlive upgrades)
 * @param path       its pin
 * @param kernelId   its kernel id when pinned
 */
public record Pin(Kind kind, String name, int generation, Path path, int kernelId) {
    /** What is pinned. */
    public enum Kind {
        /** A map. */
        MAP,
        /** A program. */
        PROGRAM,
        /** A link. */
        LINK
    }
}
