package io.bpfstore.agent.local;

import io.bpfstore.install.api.InstallationView;
import io.bpfstore.install.api.StatusResult;
import java.util.List;

/** A read-only view of the recorded installations and their kernel objects, for the agent's metrics and watch. */
public interface InstallationSource {
    /** The installations as recorded now. */
    List<InstallationView> installations();

    /** Installation {@code name}'s programs, maps and links as the kernel reports them now (ids, run counts). */
    StatusResult status(String name);
}
