package io.bpfstore.agent.api;

import io.bpfstore.install.api.DoctorResult;
import io.bpfstore.install.api.InstallRequest;
import io.bpfstore.install.api.InstallResult;
import io.bpfstore.install.api.InstallationView;
import io.bpfstore.install.api.StatusResult;
import io.bpfstore.install.api.UpgradeRequest;
import io.bpfstore.install.api.UpgradeResult;
import java.util.List;

/**
 * The install family as the CLI uses it, over the install library's plain records: answered by the agent over its
 * socket ({@code io.bpfstore.agent.client.AgentClient}) or in this process ({@code
 * io.bpfstore.agent.local.LocalInstallations}, over {@code InstallService}, which is also what the agent serves).
 * The same records travel as the API's JSON (docs/agent-api.yaml).
 */
public interface Installations {
    /** Installs a package. */
    InstallResult install(InstallRequest request);

    /** Upgrades an installation. */
    UpgradeResult upgrade(UpgradeRequest request);

    /** Removes an installation. */
    void uninstall(String name);

    /** The installations, by name. */
    List<InstallationView> list();

    /** What the kernel says about installation {@code name} now. */
    StatusResult status(String name);

    /** Compares bpffs, kernel and state database; with {@code repair}, removes orphans and dead records. */
    DoctorResult doctor(boolean repair);
}
