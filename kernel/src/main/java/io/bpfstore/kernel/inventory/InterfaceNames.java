package io.bpfstore.kernel.inventory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Names of network interfaces by index in this process's network namespace (/sys/class/net/*&#47;ifindex).
 * Links in other namespaces carry indexes that mean nothing here; the name is then empty or wrong, which is
 * why callers always show the index too.
 */
public final class InterfaceNames {
    private static final Path NET = Path.of("/sys/class/net");

    private InterfaceNames() {
    }

    /** The name of interface {@code ifindex} in this namespace, if there is one. */
    public static Optional<String> of(int ifindex) {
        if (ifindex <= 0 || !Files.isDirectory(NET)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> interfaces = Files.newDirectoryStream(NET)) {
            for (Path dir : interfaces) {
                Path index = dir.resolve("ifindex");
                if (Files.isReadable(index) && Files.readString(index).strip().equals(Integer.toString(ifindex))) {
                    return Optional.of(dir.getFileName().toString());
                }
            }
        } catch (IOException e) {
            return Optional.empty(); // names are a convenience; the index is always reported
        }
        return Optional.empty();
    }
}
