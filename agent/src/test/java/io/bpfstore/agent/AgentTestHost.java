package io.bpfstore.agent;

import io.bpfstore.install.InstallLayout;
import io.bpfstore.install.InstallService;
import io.bpfstore.install.PausePoints;
import io.bpfstore.install.api.InstallRequest;
import io.bpfstore.install.api.TcMode;
import io.bpfstore.install.api.Target;
import io.bpfstore.install.api.TrafficDirection;
import io.bpfstore.install.api.Trust;
import io.bpfstore.store.client.ProgressBar;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.VethHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A test host for the agent's kernel-facing parts: the shared {@link VethHost} (namespaces {@code bst-w…}, B at
 * 10.79.0.2) with a state directory, and the install service over it (the library entry point the agent calls).
 */
public final class AgentTestHost extends VethHost {
    /** The state directory and this host's bpffs folder. */
    public final InstallLayout layout;
    private final Trust trust;

    private AgentTestHost(String tag, Path work) throws IOException {
        super("w", "agent", tag, "10.79.0");
        layout = new InstallLayout(work.resolve("state"), bpffs.resolve("bpfstore"));
        Path policy = work.resolve("policy.yaml");
        Files.createDirectories(work);
        Files.writeString(policy, "allow-unsigned: yes\n"); // the tests install local, unsigned example objects
        trust = new Trust(Optional.empty(), List.of(), true, Optional.of(policy.toString()));
    }

    /** Sets up a host; {@code tag} (one letter) keeps hosts of one run apart. */
    public static AgentTestHost create(String tag, Path work) throws IOException {
        AgentTestHost h = new AgentTestHost(tag, work);
        h.setUp("agent tests");
        return h;
    }

    /** The install service over this host's state. */
    public InstallService service() {
        return new InstallService(layout, PausePoints.none(), Map.of(), line -> { }, ProgressBar.silent());
    }

    /** Installs the example object {@code example} (e.g. "xdp_counter") as {@code name} at {@code target}. */
    public void install(String example, String name, Target target) {
        Path object = ExampleObjects.dir().resolve(example + ".o");
        service().install(new InstallRequest(object.toString(), target, Optional.empty(), Optional.of(name),
                Optional.empty(), Optional.empty(), false, false, trust, Map.of()));
    }

    /** XDP on {@link #ifB}. */
    public Target xdpB() {
        return Target.iface(ifB, Optional.of(nsB));
    }

    /** tc ingress on {@link #ifB}, in {@code mode}. */
    public Target tcB(TcMode mode) {
        return new Target(Optional.of(ifB), Optional.of(nsB), Optional.of(TrafficDirection.INGRESS), Optional.of(mode),
                Optional.empty());
    }

    @Override
    public void close() {
        try {
            InstallService service = service();
            for (var i : service.list()) {
                service.uninstall(i.name());
            }
        } catch (RuntimeException e) {
            // the host goes below anyway: namespaces and the bpffs mount take what is left
        }
        super.close();
    }
}
