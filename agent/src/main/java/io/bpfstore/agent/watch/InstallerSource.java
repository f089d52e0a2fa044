package io.bpfstore.agent.watch;

import io.bpfstore.install.InstallException;
import io.bpfstore.install.Installation;
import io.bpfstore.install.Installer;
import java.util.ArrayList;
import java.util.List;

/**
 * The installations of an open {@link Installer}, read under the installer's monitor: the agent runs its
 * operations (install, upgrade, uninstall) holding the same monitor, so the watch never sees one half done.
 */
public final class InstallerSource implements InstallationSource {
    private final Installer installer;

    /** Reads {@code installer}'s installations. */
    public InstallerSource(Installer installer) {
        this.installer = installer;
    }

    @Override
    public List<Watched> installations() {
        synchronized (installer) {
            List<Watched> out = new ArrayList<>();
            for (Installation i : installer.list()) {
                try {
                    out.add(new Watched(i, installer.status(i.id())));
                } catch (InstallException e) {
                    // uninstalled between list and status: nothing to watch
                }
            }
            return out;
        }
    }
}
