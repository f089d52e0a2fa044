package io.bpfstore.cli;

import io.bpfstore.install.InstallException;
import io.bpfstore.install.InstallLayout;
import io.bpfstore.install.Installer;
import io.bpfstore.install.PausePoints;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.loader.LoadException;
import java.io.PrintWriter;
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

    /** The layout the options and the environment name. */
    InstallLayout layout() {
        return InstallLayout.resolve(Optional.ofNullable(stateDir), Optional.ofNullable(bpffs), System.getenv());
    }

    /** Opens the installations; recovery's lines go to {@code err}. */
    Installer open(PrintWriter err) {
        Installer installer = Installer.open(layout(), PausePoints.fromEnvironment(System.getenv()));
        installer.recovered().forEach(line -> err.println("bpfstore: " + line));
        err.flush();
        return installer;
    }

}
