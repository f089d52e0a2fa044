package io.bpfstore.agent.local;

import io.bpfstore.agent.watch.InstallationSource;
import io.bpfstore.install.InstallService;
import io.bpfstore.install.InstallLayout;
import io.bpfstore.install.PausePoints;
import io.bpfstore.store.client.ProgressBar;
import java.util.List;
import java.util.Map;

/**
 * The installations of a layout for the agent's watch and metrics: each read opens the installations under the
 * state directory's lock (the same lock every install, upgrade and uninstall holds), so a read never sees an
 * operation half done, then reads what the kernel says about each installation's pins.
 */
public final class StateSource implements InstallationSource {
    private final InstallService service;

    /** The installations of {@code layout}. */
    public StateSource(InstallLayout layout) {
        this.service = new InstallService(layout, PausePoints.none(), Map.of(), line -> { }, ProgressBar.silent());
    }

    @Override
    public List<Watched> installations() {
        return service.observe().stream().map(o -> new Watched(o.installation(), o.status())).toList();
    }
}
