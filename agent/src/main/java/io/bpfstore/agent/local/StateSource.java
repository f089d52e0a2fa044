package io.bpfstore.agent.local;

import io.bpfstore.agent.watch.InstallationSource;
import io.bpfstore.install.InstallLayout;
import io.bpfstore.install.InstallationStatus;
import io.bpfstore.install.Installer;
import io.bpfstore.install.PausePoints;
import java.util.ArrayList;
import java.util.List;

/**
 * The installations of a layout for the agent's watch and metrics: each read opens the installations under the
 * state directory's lock (the same lock every install, upgrade and uninstall holds), so a read never sees an
 * operation half done, then reads what the kernel says about each installation's pins.
 */
public final class StateSource implements InstallationSource {
    private final InstallLayout layout;

    /** The installations of {@code layout}. */
    public StateSource(InstallLayout layout) {
        this.layout = layout;
    }

    @Override
    public List<Watched> installations() {
        try (Installer in = Installer.open(layout, PausePoints.none())) {
            List<Watched> out = new ArrayList<>();
            in.list().forEach(i -> out.add(new Watched(i, InstallationStatus.read(i, in.pins(i.id()), layout))));
            return out;
        }
    }
}
