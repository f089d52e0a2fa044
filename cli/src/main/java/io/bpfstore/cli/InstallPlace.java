package io.bpfstore.cli;

import io.bpfstore.agent.api.Installations;
import io.bpfstore.agent.client.AgentClient;
import io.bpfstore.agent.local.LocalInstallations;
import io.bpfstore.install.InstallLayout;
import io.bpfstore.install.InstallService;
import io.bpfstore.install.PausePoints;
import io.bpfstore.store.client.ProgressBar;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
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

    @Option(names = "--no-agent", description = "run in this process even when the agent runs (default: through the agent when its socket answers)")
    boolean noAgent;

    /**
     * Where the command runs: through the agent when its socket answers ({@code BPFSTORE_AGENT_SOCKET}, else
     * /run/bpfstore/agent.sock), else in this process — also when {@code --no-agent}, {@code --state-dir} or
     * {@code --bpffs} is given. Both answer with the install library's records; the in-process path is the code the
     * agent itself runs. The agent's refusals become one-line errors like the library's.
     */
    Installations installations(PrintWriter err) {
        Optional<AgentClient> agent = agent();
        return agent.isPresent() ? agent.get() : local(err);
    }

    /** The agent, when its socket answers and neither {@code --no-agent}, {@code --state-dir} nor {@code --bpffs} is given. */
    Optional<AgentClient> agent() {
        return noAgent || stateDir != null || bpffs != null ? Optional.empty() : AgentClient.ifRunning(System.getenv());
    }

    private Installations local(PrintWriter err) {
        return new LocalInstallations(layout(), PausePoints.fromEnvironment(System.getenv()), System.getenv(),
                recovered(err), ProgressBar.forStderr(), Optional.empty());
    }

    /** A local package path made absolute (the agent resolves paths in its own directory); registry names as given. */
    static String absolute(String name) {
        String path = name.contains("@") && !Files.exists(Path.of(name)) ? name.substring(0, name.lastIndexOf('@')) : name;
        if (path.startsWith("/") || !(path.startsWith(".") || Files.exists(Path.of(path)))) {
            return name;
        }
        return Path.of(path).toAbsolutePath().normalize() + name.substring(path.length());
    }

    /** The install service on this layout, in this process; recovery's lines go to {@code err}. */
    InstallService service(PrintWriter err) {
        return new InstallService(layout(), PausePoints.fromEnvironment(System.getenv()), System.getenv(),
                recovered(err), ProgressBar.forStderr());
    }

    /** Where the lines about interrupted operations finished on opening go: {@code err}, one at a time. */
    private static Consumer<String> recovered(PrintWriter err) {
        return line -> {
            Terminal.println(err, "bpfstore: " + line);
            err.flush();
        };
    }
}
