package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.Fd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a pin on a bpffs holds: a program, map or link, and its id.
 *
 * @param path where it is pinned
 * @param kind what kind of object
 * @param id   the kernel's id of the object
 */
public record PinnedObject(Path path, Kind kind, int id) {
    /** The kinds of objects a pin can hold. */
    public enum Kind {
        /** A program. */
        PROGRAM,
        /** A map. */
        MAP,
        /** A link. */
        LINK
    }

    /**
     * Opens the pin at {@code path} and reads what it holds from the fd's {@code /proc/self/fdinfo} entry (the
     * kernel names the object's kind and id there; the info syscall would need the kind in advance).
     *
     * @return empty when the file is not a pin of a program, map or link (e.g. a directory or a BTF pin)
     * @throws BpfException when the pin cannot be opened
     */
    public static Optional<PinnedObject> read(Path path) {
        try (Fd fd = Pins.open(path, "object")) {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(fd.value())))) {
                String[] kv = line.split(":\\s*", 2);
                if (kv.length != 2) {
                    continue;
                }
                Kind kind = switch (kv[0]) {
                    case "prog_id" -> Kind.PROGRAM;
                    case "map_id" -> Kind.MAP;
                    case "link_id" -> Kind.LINK;
                    default -> null;
                };
                if (kind != null) {
                    return Optional.of(new PinnedObject(path, kind, Integer.parseInt(kv[1].strip())));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("read fdinfo of the pin " + path + ": " + e.getMessage(), e);
        }
    }
}
