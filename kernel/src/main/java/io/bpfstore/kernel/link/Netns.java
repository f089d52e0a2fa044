package io.bpfstore.kernel.link;

import io.bpfstore.kernel.NetworkNamespace;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The network namespace an interface lives in. Interface names and indexes, rtnetlink requests and
 * XDP/tcx attach calls are all resolved in the namespace of the calling thread, so every network hook
 * runs its work through {@link #run}. A link, once created, is not tied to the namespace of the thread
 * that holds its fd.
 */
public sealed interface Netns {

    /** The namespace of the calling thread. */
    Netns CURRENT = new Current();

    /** A namespace created with {@code ip netns add NAME} (the file /run/netns/NAME). */
    static Netns named(String name) {
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("not a namespace name: \"" + name + "\"");
        }
        return new File(Path.of("/run/netns", name), name);
    }

    /** The namespace behind a namespace file, e.g. /proc/PID/ns/net. */
    static Netns at(Path file) {
        return new File(file, file.toString());
    }

    /** The calling thread's namespace. */
    record Current() implements Netns {
    }

    /** A namespace file. @param file the nsfs file @param label how messages name it */
    record File(Path file, String label) implements Netns {
    }

    /** Runs {@code task} in this namespace (on a short-lived thread for a foreign one) and returns its result. */
    default <T> T run(Callable<T> task) {
        return switch (this) {
            case Current c -> {
                try {
                    yield task.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
            case File f -> NetworkNamespace.run(f.file(), task);
        };
    }

    /** A suffix for messages: empty for the current namespace, else {@code " (netns NAME)"}. */
    default String suffix() {
        return switch (this) {
            case Current c -> "";
            case File f -> " (netns " + f.label() + ")";
        };
    }
}
