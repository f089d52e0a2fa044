package io.bpfstore.cli;

import io.bpfstore.agent.Agent;
import io.bpfstore.install.InstallLayout;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bpfstore agent}: runs the host agent in the foreground until stopped (SIGTERM or SIGINT): restores
 * installations, serves the API on the unix socket, follows registry versions. See docs/agent.md.
 */
@Command(name = "agent", description = "Run the host agent: own the installations, serve the API on a unix socket, restore, follow.")
final class AgentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "state directory (default: BPFSTORE_STATE_DIR or /var/lib/bpfstore)")
    Path stateDir;

    @Option(names = "--bpffs", paramLabel = "DIR", description = "bpffs folder for pins (default: BPFSTORE_BPFFS or /sys/fs/bpf/bpfstore)")
    Path bpffs;

    @Option(names = "--socket", paramLabel = "PATH", description = "the API's unix socket (default: /run/bpfstore/agent.sock)")
    Path socket = Agent.DEFAULT_SOCKET;

    @Option(names = "--metrics-listen", paramLabel = "ADDR:PORT", description = "serve Prometheus metrics on ADDR:PORT (default: off)")
    String metricsListen;

    @Option(names = "--registry", paramLabel = "URL", description = "registry for packages named without one, and for follow (default: BPFSTORE_REGISTRY or the config file)")
    String registry;

    @Option(names = "--admin-group", paramLabel = "GROUP", description = "members (by primary group) may change installations besides root (default: root only)")
    String adminGroup;

    @Override
    public Integer call() throws InterruptedException {
        InstallLayout layout = InstallLayout.resolve(Optional.ofNullable(stateDir), Optional.ofNullable(bpffs), System.getenv());
        Agent agent = Agent.start(new Agent.Options(layout, socket, Optional.ofNullable(registry),
                Optional.ofNullable(adminGroup), Optional.ofNullable(metricsListen), System.getenv()));
        PrintWriter err = spec.commandLine().getErr();
        agent.restored().forEach(line -> Terminal.println(err, "bpfstore agent: " + line));
        err.println("bpfstore agent: serving on " + socket
                + agent.metricsAddress().map(a -> ", metrics on " + a).orElse(""));
        err.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "agent-stop"));
        agent.awaitStop();
        return 0;
    }
}
