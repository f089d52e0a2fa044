package io.bpfstore.agent.local;

import io.bpfstore.install.Installation;
import io.bpfstore.install.Pin;
import java.util.List;

/** A read-only view of the recorded installations, for the agent's metrics and watch. */
public interface InstallationSource {
    /** The installations as recorded now. */
    List<Installation> installations();

    /** The pins (programs, maps, links) installation {@code id} owns. */
    List<Pin> pins(String id);
}
