package io.bpfstore.registry.storage;

import java.util.List;

/**
 * A publisher account.
 *
 * @param name       account name (the username of HTTP Basic)
 * @param namespaces the namespaces it owns, sorted
 */
public record Publisher(String name, List<String> namespaces) {
    /** Copies the list. */
    public Publisher {
        namespaces = List.copyOf(namespaces);
    }
}
