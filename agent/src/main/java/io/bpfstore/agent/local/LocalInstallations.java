package io.bpfstore.agent.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.agent.api.AgentJson;
import io.bpfstore.agent.api.ApiException;
import io.bpfstore.agent.api.InstallBody;
import io.bpfstore.agent.api.Installations;
import io.bpfstore.agent.api.UpgradeBody;
import io.bpfstore.install.DoctorReport;
import io.bpfstore.install.HookTarget;
import io.bpfstore.install.InstallLayout;
import io.bpfstore.install.InstallRequest;
import io.bpfstore.install.Installation;
import io.bpfstore.install.Installer;
import io.bpfstore.install.PausePoints;
import io.bpfstore.install.ResolvedPackage;
import io.bpfstore.install.TargetSelection;
import io.bpfstore.install.TcMode;
import io.bpfstore.kernel.link.Direction;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The installation family run in this process with the install library: each call opens the installations (the
 * state directory's lock, recovery of what a killed command left), does its one thing and closes them. Calls from
 * several threads of one process take turns (the state directory's file lock is per process); other processes wait
 * on the file lock.
 */
public final class LocalInstallations implements Installations, InstallationSource {
    private final InstallLayout layout;
    private final PausePoints pause;
    private final Admission admission;
    private final ReentrantLock turn = new ReentrantLock(true);
    private final AdmissionRecords admitted;

    /** Installations of {@code layout}; packages admitted by {@code admission}. */
    public LocalInstallations(InstallLayout layout, PausePoints pause, Admission admission) {
        this.layout = layout;
        this.pause = pause;
        this.admission = admission;
        this.admitted = new AdmissionRecords(layout.stateDir().resolve("admitted.json"));
    }

    /** How installation {@code id} was admitted (for restore's policy run); the defaults when not recorded. */
    public InstallBody.Trust trust(String id) {
        return admitted.get(id);
    }

    /** The layout. */
    public InstallLayout layout() {
        return layout;
    }

    /** The admission (registry, keys, policy) packages pass. */
    public Admission admission() {
        return admission;
    }

    /**
     * Runs {@code action} with the installations open (one caller at a time), adding recovery's lines to an
     * object result as {@code recovered}.
     */
    public <T> T withInstaller(Function<Installer, T> action) {
        turn.lock();
        try (Installer installer = Installer.open(layout, pause)) {
            T result = action.apply(installer);
            if (result instanceof ObjectNode n && !installer.recovered().isEmpty()) {
                ArrayNode lines = n.putArray("recovered");
                installer.recovered().forEach(lines::add);
            }
            return result;
        } finally {
            turn.unlock();
        }
    }

    @Override
    public JsonNode list() {
        return withInstaller(in -> {
            ObjectNode n = AgentJson.mapper().createObjectNode();
            ArrayNode array = n.putArray("installations");
            in.list().forEach(i -> array.add(InstallationJson.of(i)));
            return n;
        });
    }

    @Override
    public JsonNode status(String name) {
        return withInstaller(in -> InstallationJson.of(in.status(existing(in, name).id())));
    }

    @Override
    public JsonNode install(InstallBody body) {
        if (body.pkg() == null || body.pkg().isBlank()) {
            throw new ApiException(400, "install: pkg (the package to install) is missing");
        }
        ResolvedPackage pkg = admission.admitted(body.pkg(), body.trust());
        HookTarget target = TargetSelection.target(new TargetSelection.Flags(Optional.ofNullable(body.iface()),
                Optional.ofNullable(body.netns()), Optional.ofNullable(body.direction()).map(LocalInstallations::direction),
                Optional.ofNullable(body.cgroup()).map(Path::of), Optional.ofNullable(body.program()),
                Optional.ofNullable(body.tcMode()).map(LocalInstallations::tcMode)), pkg.parse(), pkg.name());
        InstallRequest request = new InstallRequest(pkg, Optional.ofNullable(body.name()), target,
                Optional.ofNullable(body.program()), Optional.ofNullable(body.priority()),
                Optional.ofNullable(body.proceedOn()), body.force(), body.beforeForeign());
        return withInstaller(in -> {
            Installer.Outcome done = in.install(request);
            admitted.put(done.installation().id(), body.trust());
            ObjectNode n = AgentJson.mapper().createObjectNode();
            n.set("installation", InstallationJson.of(done.installation()));
            done.warnings().forEach(n.putArray("warnings")::add);
            done.order().forEach(n.putArray("order")::add);
            return n;
        });
    }

    @Override
    public JsonNode upgrade(String name, UpgradeBody body) {
        Installation current = withInstaller(in -> existing(in, name));
        ResolvedPackage pkg = admission.admitted(upgradeSource(current, body), body.trust());
        return upgradeTo(current, pkg, body.resetMaps(), body.trust());
    }

    /**
     * Upgrades {@code current} to the admitted {@code pkg} (also used by follow, whose gates ran already).
     *
     * @throws ApiException 409 if the installation changed meanwhile (another upgrade or an uninstall)
     */
    public ObjectNode upgradeTo(Installation current, ResolvedPackage pkg, boolean resetMaps, InstallBody.Trust trust) {
        return withInstaller(in -> {
            Installation now = existing(in, current.id());
            if (now.generation() != current.generation()) {
                throw new ApiException(409, current.id() + " changed while " + pkg.repository() + " " + pkg.version()
                        + " was fetched (now generation " + now.generation() + "); try again");
            }
            Installer.Outcome done = in.upgrade(current.id(), pkg, resetMaps);
            if (trust != null) {
                admitted.put(current.id(), trust);
            }
            ObjectNode n = AgentJson.mapper().createObjectNode();
            n.set("installation", InstallationJson.of(done.installation()));
            n.put("previous_version", current.pkg().version());
            done.order().forEach(n.putArray("order")::add);
            return n;
        });
    }

    /** Where the new version of {@code current} comes from, as upgrade's options say. */
    static String upgradeSource(Installation current, UpgradeBody body) {
        if (body.from() != null) {
            if (body.version() != null) {
                throw new ApiException(400, "give the version either as NAME@VERSION or in --from, not both");
            }
            return body.from();
        }
        if (current.pkg().source().startsWith("/")) {
            throw new ApiException(422, current.id() + " was installed from " + current.pkg().source()
                    + ", not a registry: name the new package with --from");
        }
        return current.pkg().repository() + (body.version() == null ? "" : "@" + body.version());
    }

    @Override
    public JsonNode uninstall(String name) {
        return withInstaller(in -> {
            in.uninstall(existing(in, name).id());
            admitted.remove(name);
            return AgentJson.mapper().createObjectNode().put("uninstalled", name);
        });
    }

    @Override
    public JsonNode doctor(boolean repair) {
        return withInstaller(in -> {
            DoctorReport report = in.doctor(repair);
            ObjectNode n = AgentJson.mapper().createObjectNode();
            report.problems().forEach(n.putArray("problems")::add);
            report.repaired().forEach(n.putArray("repaired")::add);
            return n;
        });
    }

    /** The recorded installations (for restore, follow and metrics). */
    @Override
    public List<Installation> installations() {
        return withInstaller(Installer::list);
    }

    @Override
    public List<io.bpfstore.install.Pin> pins(String id) {
        return withInstaller(in -> in.pins(id));
    }

    /** The installation {@code name}, or a 404. */
    public static Installation existing(Installer in, String name) {
        try {
            Installer.idOf(name);
        } catch (io.bpfstore.install.InstallException e) {
            throw new ApiException(400, e.getMessage());
        }
        return in.find(name).orElseThrow(() -> new ApiException(404, name + " is not installed"));
    }

    private static Direction direction(String text) {
        try {
            return Direction.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "direction \"" + text + "\": use ingress or egress");
        }
    }

    private static TcMode tcMode(String text) {
        try {
            return TcMode.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "tc mode \"" + text + "\": use auto, tcx or legacy");
        }
    }
}
