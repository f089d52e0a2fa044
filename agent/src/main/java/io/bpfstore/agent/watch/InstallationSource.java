package io.bpfstore.agent.watch;

import io.bpfstore.install.Installation;
import io.bpfstore.install.InstallationStatus;
import java.util.List;

/**
 * Where the watch learns which installations exist: the one seam between the watch and the install module's state.
 * The agent passes {@link InstallerSource} over its open {@link io.bpfstore.install.Installer}; tests may pass any
 * other.
 */
@FunctionalInterface
public interface InstallationSource {
    /**
     * One recorded installation with what the kernel says about its pins now.
     *
     * @param installation the record
     * @param status       its pins and links as the kernel sees them (install's {@code status})
     */
    record Watched(Installation installation, InstallationStatus status) {
    }

    /** The installations recorded now, each with its status read now. */
    List<Watched> installations();
}
