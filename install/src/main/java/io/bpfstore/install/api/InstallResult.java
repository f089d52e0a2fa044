package io.bpfstore.install.api;

import java.util.List;

/**
 * What an install did.
 *
 * @param installation the installation as recorded
 * @param warnings     clash findings to show the user
 * @param order        XDP: the installations on the hook in run order (just this one elsewhere)
 */
public record InstallResult(InstallationView installation, List<String> warnings, List<String> order) {
    /** Copies. */
    public InstallResult {
        warnings = List.copyOf(warnings);
        order = List.copyOf(order);
    }
}
