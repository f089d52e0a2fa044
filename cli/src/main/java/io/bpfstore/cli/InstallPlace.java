package io.bpfstore.cli;

import io.bpfstore.install.InstallLayout;
import io.bpfstore.install.InstallService;
import io.bpfstore.install.PausePoints;
import io.bpfstore.store.registry.ProgressBar;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every installation command shares: where the state database and the pins live. The service they
 * open also finishes what an interrupted command left behind, and says so on stderr.
 */
final class InstallPlace {
    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "state directory holding state.db (default: BPFSTORE_STATE_DIR or /var/lib/bpfstore)")
    Path stateDir;

    @Option(names = "--bpffs", paramLabel = "DIR",
            description = "bpffs folder for pins (default: BPFSTORE_BPFFS or /sys/fs/bpf/bpfstore)")
    Path bpffs;

    /** The layout the options and the environment name. */
    InstallLayout layout() {
        return InstallLayout.resolve(Optional.ofNullable(stateDir), Optional.ofNullable(bpffs), System.getenv());
    }

    /** The install service on this layout, in this process; recovery's lines go to {@code err}. */
    InstallService service(PrintWriter err) {
        return new InstallService(layout(), PausePoints.fromEnvironment(System.getenv()), System.getenv(), line -> {
            err.println("bpfstore: " + line);
            err.flush();
        }, ProgressBar.forStderr());
    }
}
