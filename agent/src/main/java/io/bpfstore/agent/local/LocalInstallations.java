package io.bpfstore.agent.local;

import io.bpfstore.store.image.FetchPurpose;
import io.bpfstore.agent.api.Installations;
import io.bpfstore.install.InstallLayout;
import io.bpfstore.install.InstallService;
import io.bpfstore.install.PausePoints;
import io.bpfstore.install.api.DoctorResult;
import io.bpfstore.install.api.InstallRequest;
import io.bpfstore.install.api.InstallResult;
import io.bpfstore.install.api.InstallationView;
import io.bpfstore.install.api.StatusResult;
import io.bpfstore.install.api.Trust;
import io.bpfstore.install.api.UpgradeRequest;
import io.bpfstore.install.api.UpgradeResult;
import io.bpfstore.store.config.StoreConfig;
import io.bpfstore.store.client.ProgressBar;
import io.bpfstore.store.client.RegistryClient;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The install family in this process: the install library's {@link InstallService} (which takes the state
 * directory's lock per operation, so threads and processes take turns), plus what the agent adds around it — a
 * default registry for requests that name none, and a record of how each installation was admitted so restore
 * re-runs the host policy with the options the installing admin gave. The CLI with {@code --no-agent} and the agent
 * both run this.
 */
public final class LocalInstallations implements Installations, AutoCloseable {
    private final InstallService service;
    private final Map<String, String> env;
    private final Optional<String> defaultRegistry;
    private final AdmissionRecords admitted;

    /**
     * Installations of {@code layout}.
     *
     * @param recovered       receives one line per interrupted operation finished when the installations open
     * @param defaultRegistry the registry for requests that name none (the agent's {@code --registry})
     */
    public LocalInstallations(InstallLayout layout, PausePoints pause, Map<String, String> env,
                              Consumer<String> recovered, ProgressBar progress, Optional<String> defaultRegistry) {
        this(layout, pause, env, recovered, progress, defaultRegistry, false);
    }

    /**
     * As the other constructor; {@code resident}: keep the state database open between operations (the agent),
     * until {@link #close}.
     */
    public LocalInstallations(InstallLayout layout, PausePoints pause, Map<String, String> env,
                              Consumer<String> recovered, ProgressBar progress, Optional<String> defaultRegistry,
                              boolean resident) {
        this.service = new InstallService(layout, pause, env, recovered, progress, resident);
        this.env = Map.copyOf(env);
        this.defaultRegistry = defaultRegistry;
        this.admitted = new AdmissionRecords(layout.stateDir().resolve("admitted.json"));
    }

    /** The service underneath. */
    public InstallService service() {
        return service;
    }

    @Override
    public InstallResult install(InstallRequest request) {
        Trust trust = withDefaults(request.trust());
        InstallResult done = service.install(new InstallRequest(request.reference(), request.target(), request.program(),
                request.name(), request.priority(), request.proceedOn(), request.beforeForeign(), request.force(), trust,
                request.globals()));
        admitted.put(done.installation().name(), trust);
        return done;
    }

    @Override
    public UpgradeResult upgrade(UpgradeRequest request) {
        Trust trust = withDefaults(request.trust());
        UpgradeResult done = service.upgrade(new UpgradeRequest(request.name(), request.from(), request.resetMaps(), trust,
                request.allowDowngrade()));
        admitted.put(done.installation().name(), trust);
        return done;
    }

    @Override
    public void uninstall(String name) {
        service.uninstall(name);
        admitted.remove(name);
    }

    @Override
    public List<InstallationView> list() {
        return service.list();
    }

    @Override
    public StatusResult status(String name) {
        return service.status(name);
    }

    @Override
    public DoctorResult doctor(boolean repair) {
        return service.doctor(repair);
    }

    /** Closes what a resident instance keeps open. */
    @Override
    public void close() {
        service.close();
    }

    /** How installation {@code name} was admitted (the defaults when not recorded: installed by an older bpfstore). */
    public Trust trust(String name) {
        return admitted.get(name);
    }

    /** A client of the registry {@code trust} names (else the agent's default, else the config's). */
    public RegistryClient registry(Trust trust) {
        StoreConfig config = StoreConfig.locate(env);
        URI uri = config.registry(withDefaults(trust).registry(), env);
        return new RegistryClient(uri, config.credentials(uri), ProgressBar.silent()).withPurpose(FetchPurpose.INSTALL);
    }

    private Trust withDefaults(Trust trust) {
        return trust.registry().isPresent() || defaultRegistry.isEmpty() ? trust
                : new Trust(defaultRegistry, trust.keys(), trust.allowUnsigned(), trust.policy(),
                        trust.allowDowngrade());
    }
}
