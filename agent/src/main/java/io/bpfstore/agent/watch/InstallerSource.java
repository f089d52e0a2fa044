package io.bpfstore.agent.watch;

import io.bpfstore.install.Installation;
import io.bpfstore.install.InstallationStatus;
import io.bpfstore.install.Installer;
import io.bpfstore.install.Pin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The installations of an open {@link Installer}, read under the installer's monitor: the agent runs its
 * operations (install, upgrade, uninstall) holding the same monitor, so the watch never sees one half done. The
 * recorded pins of an installation change only with its generation, so they are read from the state database once
 * per generation (one query per installation per scrape cost ~1 ms each); the kernel's view is read every time.
 */
public final class InstallerSource implements InstallationSource {
    private final Installer installer;
    private final Map<String, Pins> pins = new HashMap<>();

    private record Pins(Installation installation, List<Pin> pins) {
    }

    /** Reads {@code installer}'s installations. */
    public InstallerSource(Installer installer) {
        this.installer = installer;
    }

    @Override
    public List<Watched> installations() {
        List<Installation> all;
        Map<String, Pins> current = new HashMap<>();
        synchronized (installer) {
            all = installer.list();
            for (Installation i : all) {
                Pins known = pins.get(i.id());
                boolean same = known != null && known.installation().generation() == i.generation()
                        && known.installation().installedAt().equals(i.installedAt());
                current.put(i.id(), same ? known : new Pins(i, installer.pins(i.id())));
            }
        }
        synchronized (pins) {
            pins.clear();
            pins.putAll(current);
        }
        List<Watched> out = new ArrayList<>();
        for (Installation i : all) {
            out.add(new Watched(i, InstallationStatus.read(i, current.get(i.id()).pins(), installer.layout())));
        }
        return out;
    }
}
