package io.bpfstore.install.api;

import java.util.List;

/**
 * What an upgrade did.
 *
 * @param installation    the installation as now recorded
 * @param previousVersion the package version it ran before
 * @param order           XDP: the installations on the hook in run order (just this one elsewhere)
 */
public record UpgradeResult(InstallationView installation, String previousVersion, List<String> order) {
    /** Copies. */
    public UpgradeResult {
        order = List.copyOf(order);
    }
}
