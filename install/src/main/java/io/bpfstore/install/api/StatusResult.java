package io.bpfstore.install.api;

import java.util.List;

/**
 * {@code bpfstore status}: an installation and its objects as the kernel reports them now.
 *
 * @param installation the installation
 * @param objects      its pinned objects, then (XDP) the dispatcher's link
 */
public record StatusResult(InstallationView installation, List<ObjectState> objects) {
    /** Copies. */
    public StatusResult {
        objects = List.copyOf(objects);
    }
}
