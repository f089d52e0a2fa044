package io.bpfstore.kernel.probe;

import io.bpfstore.bytecode.helpers.Helper;
import io.bpfstore.bytecode.helpers.HelperCatalog;
import java.util.Optional;

/**
 * Helper names by id for probing and reports, read from the bytecode module's {@link HelperCatalog} (generated
 * from the kernel UAPI), so there is one table of helpers in the project.
 */
public final class HelperNames {
    private static final HelperCatalog CATALOG = HelperCatalog.bundled();

    /** The highest helper id the catalog names; probing tries ids 1 to this. */
    public static final int HIGHEST_KNOWN = CATALOG.maxId();

    private HelperNames() {
    }

    /** The helper's name with the {@code bpf_} prefix (as bpftool prints it), or empty for unknown ids. */
    public static Optional<String> of(int id) {
        return CATALOG.byId(id).map(Helper::name);
    }

    /** The helper's name, or {@code helper#<id>} for ids the catalog does not name. */
    public static String nameOf(int id) {
        return of(id).orElse("helper#" + id);
    }

    /** The id of a helper named like {@code bpf_map_lookup_elem}, or empty. */
    public static Optional<Integer> idOf(String name) {
        return CATALOG.byName(name).map(Helper::id);
    }
}
