package io.bpfstore.cli;

import io.bpfstore.install.InstallLayout;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every installation command shares: where the state database and the pins live. Opening the
 * installations also finishes what an interrupted command left behind, and says so on stderr.
 */
final class InstallPlace {
    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "state directory holding state.db (default: BPFSTORE_STATE_DIR or /var/lib/bpfstore)")
    Path stateDir;

    @Option(names = "--bpffs", paramLabel = "DIR",
            description = "bpffs folder for pins (default: BPFSTORE_BPFFS or /sys/fs/bpf/bpfstore)")
    Path bpffs;

    @Option(names = "--no-agent", description = "run in this process even when the agent runs (default: through the agent when its socket answers)")
    boolean noAgent;

    /** Whether to run in this process: asked to, or a state directory or bpffs folder named on the command line. */
    boolean inProcess() {
        return noAgent || stateDir != null || bpffs != null;
    }

    /** The layout the options and the environment name. */
    InstallLayout layout() {
        return InstallLayout.resolve(Optional.ofNullable(stateDir), Optional.ofNullable(bpffs), System.getenv());
    }


}
