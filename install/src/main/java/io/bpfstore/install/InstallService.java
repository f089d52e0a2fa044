package io.bpfstore.install;

import io.bpfstore.analysis.clash.CheckedPackage;
import io.bpfstore.analysis.clash.ClashReport;
import io.bpfstore.install.api.DoctorResult;
import io.bpfstore.install.api.InstallRequest;
import io.bpfstore.install.api.InstallResult;
import io.bpfstore.install.api.InstallationView;
import io.bpfstore.install.api.ObjectKind;
import io.bpfstore.install.api.ObjectState;
import io.bpfstore.install.api.StatusResult;
import io.bpfstore.install.api.TcMode;
import io.bpfstore.install.api.TrafficDirection;
import io.bpfstore.install.api.Trust;
import io.bpfstore.install.api.UpgradeRequest;
import io.bpfstore.install.api.UpgradeResult;
import io.bpfstore.store.client.ProgressBar;
import io.bpfstore.store.image.SemVer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The install family's one entry point: install, upgrade, uninstall, list, status and doctor on the installations of
 * one {@link InstallLayout}, each taking and returning the plain records of {@link io.bpfstore.install.api}. The CLI
 * commands and the agent call these and nothing else.
 *
 * <p>An install runs: resolve the reference (pull and verify, or a local layout or object) → host policy → hook
 * selection → lock the state directory and finish any interrupted operation → preflight (kernel fit, clashes) →
 * load and pin → attach → record. Every operation holds the state directory's {@link StateLock} while it runs, so
 * threads of one process and separate processes change the installations one at a time; reads wait too, because
 * opening the installations finishes what a killed command left behind.
 *
 * <p>Usage: {@code new InstallService(layout, PausePoints.none(), System.getenv(), log::info,
 * ProgressBar.silent()).install(InstallRequest.of("acme/fw@1.0.0", Target.iface("eth1", Optional.empty()), trust))}
 */
public final class InstallService implements AutoCloseable {
    private final InstallLayout layout;
    private final PausePoints pause;
    private final Map<String, String> env;
    private final Consumer<String> recovered;
    private final ProgressBar progress;
    private final PackageCache cache;
    private final Optional<KeptDatabase> kept;

    /**
     * The service for {@code layout}, opening the state database per operation.
     *
     * @param pause     crash-test pause points
     * @param env       the environment: config file, registry address and credentials for pulls
     * @param recovered receives one line per interrupted operation that opening the installations finished
     * @param progress  where pulls show their progress
     */
    public InstallService(InstallLayout layout, PausePoints pause, Map<String, String> env, Consumer<String> recovered,
                          ProgressBar progress) {
        this(layout, pause, env, recovered, progress, false);
    }

    /**
     * The service for {@code layout}.
     *
     * @param resident keep the state database open between operations (a long-running process: the agent), until
     *                 {@link #close}; each operation still takes the state directory's lock and finishes what a
     *                 killed command left first
     */
    public InstallService(InstallLayout layout, PausePoints pause, Map<String, String> env, Consumer<String> recovered,
                          ProgressBar progress, boolean resident) {
        this.kept = resident ? Optional.of(new KeptDatabase(layout.database())) : Optional.empty();
        this.layout = layout;
        this.pause = pause;
        this.env = Map.copyOf(env);
        this.recovered = recovered;
        this.progress = progress;
        this.cache = new PackageCache(layout.stateDir());
    }

    /** The layout this service works on. */
    public InstallLayout layout() {
        return layout;
    }

    /**
     * Installs a package.
     *
     * @throws InstallException for bad input or a refusal; nothing is attached or recorded then
     * @throws io.bpfstore.store.policy.PolicyDeniedException when the host policy denies the package
     */
    public InstallResult install(InstallRequest request) {
        ResolvedPackage pkg = new PackageAdmission(request.trust(), env, progress, Optional.of(cache))
                .admitted(request.reference());
        HookTarget target = TargetSelection.target(TargetSelection.Flags.of(request.target(), request.program()),
                pkg.parse(), pkg.name());
        return open(installer -> {
            // before anything changes: whatever a kill leaves recorded has its cache entry
            String id = Installer.idOf(request.name().orElse(pkg.name()));
            if (installer.find(id).isEmpty()) { // else install refuses; the installed one's entry stays as it is
                cache.remember(id, cacheEntry(pkg, request.globals()));
            }
            Installer.Outcome done = installer.install(new InstallPlan(pkg, request.name(), target, request.program(),
                    request.priority(), request.proceedOn(), request.force(), request.beforeForeign(), request.globals()));
            return new InstallResult(view(done.installation()), done.warnings(), done.order());
        });
    }

    /**
     * Upgrades an installation to another version of its package (or the package {@code from} names), atomically,
     * keeping the contents of maps whose definition did not change.
     *
     * @throws InstallException if it is not installed, the new package does not fit, or maps are incompatible
     */
    public UpgradeResult upgrade(UpgradeRequest request) {
        String name = request.name();
        int at = name.indexOf('@');
        String id = at < 0 ? name : name.substring(0, at);
        return open(installer -> {
            Installation current = installer.find(id).orElseThrow(() -> new NotInstalledException(id));
            String source;
            if (request.from().isPresent()) {
                if (at >= 0) {
                    throw new InstallException("give the version either as NAME@VERSION or in --from, not both");
                }
                source = request.from().get();
            } else if (current.pkg().source().startsWith("/")) {
                throw new InstallException(id + " was installed from " + current.pkg().source()
                        + ", not a registry: name the new package with --from");
            } else {
                source = current.pkg().repository() + (at < 0 ? "" : name.substring(at));
            }
            ResolvedPackage pkg = new PackageAdmission(request.trust().allowingDowngrade(request.allowDowngrade()
                    || request.trust().allowDowngrade()), env, progress, Optional.of(cache)).admitted(source);
            // A bare .o has a derived version, not a released one: only packages are compared.
            boolean released = !java.nio.file.Files.isRegularFile(Path.of(pkg.source()));
            if (released && !request.allowDowngrade() && older(pkg.version(), current.pkg().version())) {
                throw new InstallException(id + ": " + pkg.repository() + " " + pkg.version() + " is older than the installed "
                        + current.pkg().version() + "; a downgrade (a rollback) needs --allow-downgrade");
            }
            cache.remember(Installer.idOf(id), cacheEntry(pkg, Map.of())); // before the swap, as for install
            Installer.Outcome done = installer.upgrade(id, pkg, request.resetMaps());
            prune(installer);
            return new UpgradeResult(view(done.installation()), current.pkg().version(), done.order());
        });
    }

    /**
     * Removes an installation: detaches it (recomposing its XDP hook without it), removes its pins and its record.
     *
     * @throws InstallException if it is not installed
     */
    public void uninstall(String name) {
        open(installer -> {
            installer.uninstall(name);
            prune(installer);
            return null;
        });
    }

    /** The installations, by name. */
    public List<InstallationView> list() {
        return open(installer -> installer.list().stream().map(InstallService::view).toList());
    }

    /** The installation {@code name}, if installed. */
    public Optional<InstallationView> find(String name) {
        return open(installer -> installer.find(name).map(InstallService::view));
    }

    /**
     * What the kernel says about installation {@code name} now.
     *
     * @throws InstallException if it is not installed
     */
    public StatusResult status(String name) {
        return open(installer -> {
            InstallationStatus s = installer.status(name);
            List<ObjectState> objects = new ArrayList<>();
            s.objects().forEach(o -> objects.add(state(o, ObjectKind.valueOf(o.kind().name()))));
            s.dispatcher().ifPresent(o -> objects.add(state(o, ObjectKind.DISPATCHER)));
            return new StatusResult(view(s.installation()), objects);
        });
    }

    /**
     * Re-creates every installation none of whose programs, maps and links is alive any more (after a reboot they
     * went with the bpffs) from the content-addressed package cache under the state directory ({@link PackageCache}),
     * through the gates of a fresh install: every digest re-hashed (manifest, config, layer, or the bare object),
     * the kept signature re-verified against the keys trusted now, the install's {@code --set} values re-applied,
     * the host policy of the trust it was admitted with re-run, then preflight (kernel fit, clashes with the host
     * as it is now), load and attach. All of them are forgotten first,
     * so that dead members do not block the recomposition of a shared XDP hook. Map contents start empty.
     *
     * @param trustOf the admission options each installation was installed with
     * @param outcome receives each installation re-created (the result) or kept out (the refusal); one that is kept
     *                out is no longer recorded
     */
    public void restoreGone(Function<String, Trust> trustOf,
                            java.util.function.BiConsumer<InstallationView, java.util.function.Supplier<InstallResult>> outcome) {
        open(installer -> {
            List<Installation> gone = new ArrayList<>();
            for (Installation i : installer.list()) {
                if (installer.status(i.id()).objects().stream().noneMatch(InstallationStatus.ObjectStatus::alive)) {
                    gone.add(i);
                }
            }
            gone.forEach(i -> installer.forget(i.id()));
            for (Installation i : gone) {
                outcome.accept(view(i), () -> reinstall(installer, i, trustOf.apply(i.id())));
            }
            return null;
        });
    }

    private InstallResult reinstall(Installer installer, Installation i, Trust trust) {
        PackageCache.Entry entry = cache.entry(i.id(), i.pkg().digest()).orElseThrow(() -> new InstallException(i.id()
                + " has no entry in the package cache (installed by a bpfstore that kept none): install it again"));
        ResolvedPackage pkg = new PackageAdmission(trust, env, progress).restored(i.pkg(), cache, entry);
        Installer.Outcome done = installer.install(new InstallPlan(pkg, Optional.of(i.id()), i.target(),
                i.programs().size() == 1 ? Optional.of(i.programs().getFirst()) : Optional.empty(),
                Optional.of(i.priority()), i.target() instanceof HookTarget.Xdp ? Optional.of(i.proceedOn())
                : Optional.empty(), i.forced(), false));
        return new InstallResult(view(done.installation()), done.warnings(), done.order());
    }

    /** Prunes the package cache down to what the recorded installations use. */
    private void prune(Installer installer) {
        Map<String, String> recorded = new java.util.HashMap<>();
        installer.list().forEach(i -> recorded.put(i.id(), i.pkg().digest()));
        cache.prune(recorded, java.time.Instant.now());
    }

    private static PackageCache.Entry cacheEntry(ResolvedPackage pkg, Map<String, String> globals) {
        return new PackageCache.Entry(pkg.digest(), java.nio.file.Files.isRegularFile(Path.of(pkg.source())), globals);
    }

    /** Compares bpffs, kernel and state database; with {@code repair}, removes orphans and dead records. */
    public DoctorResult doctor(boolean repair) {
        return open(installer -> installer.doctor(repair));
    }

    /**
     * The kernel ids of the programs bpfstore runs on this host's hooks according to this layout's state database
     * (XDP dispatchers, link and legacy filter programs); empty when there is none. {@code check --host} treats
     * them as bpfstore's own, not as foreign occupants. Changes nothing, and finishes no interrupted operation.
     */
    public Set<Integer> ownPrograms() {
        return OwnPrograms.recorded(layout);
    }

    /**
     * {@code check --host}: {@code packages} checked against each other and the host as {@code check} describes,
     * this layout's own programs ({@link #ownPrograms}) taken as bpfstore's, not foreign. Changes nothing.
     *
     * @throws IOException if the host's eBPF state cannot be read
     */
    public ClashReport checkHost(List<CheckedPackage> packages, HostClashCheck check) throws IOException {
        return check.run(packages, ownPrograms());
    }

    /**
     * One installation with what the kernel says about its pins now: what the agent's watch and metrics read.
     *
     * @param installation the recorded installation
     * @param status       its programs, maps and links in the kernel now
     */
    public record Observed(Installation installation, InstallationStatus status) {
    }

    /**
     * One installation's record as the state database keeps it, without the kernel's view.
     *
     * @param installation the recorded installation
     * @param pins         its pins
     */
    public record Recorded(Installation installation, List<Pin> pins) {
    }

    /**
     * Every installation's record, read under the state directory's lock: for callers that read the kernel's view
     * themselves ({@link InstallationStatus#read}) and keep the records between reads.
     */
    public List<Recorded> records() {
        return open(installer -> installer.list().stream().map(i -> new Recorded(i, installer.pins(i.id()))).toList());
    }

    /** Every installation with its status read now, under the state directory's lock (no operation half done). */
    public List<Observed> observe() {
        return open(installer -> installer.list().stream()
                .map(i -> new Observed(i, InstallationStatus.read(i, installer.pins(i.id()), layout))).toList());
    }

    /**
     * Installation {@code name} with its status read now, under the state directory's lock: what {@code data} and the
     * agent's tests read the maps and ids of.
     *
     * @throws InstallException if it is not installed
     */
    public Observed observe(String name) {
        return open(installer -> {
            InstallationStatus s = installer.status(name);
            return new Observed(s.installation(), s);
        });
    }

    /** Closes the state database a resident service keeps open (nothing to do otherwise). */
    @Override
    public void close() {
        kept.ifPresent(KeptDatabase::close);
    }

    private <T> T open(Function<Installer, T> work) {
        try (Installer installer = Installer.open(layout, pause, kept.orElse(null))) {
            installer.recovered().forEach(recovered);
            return work.apply(installer);
        } catch (StateException e) {
            close(); // the next operation starts on a fresh connection
            throw e;
        }
    }

    /** Whether {@code candidate} is a lower semantic version than {@code installed} (false when either is none). */
    static boolean older(String candidate, String installed) {
        if (!SemVer.isValid(candidate) || !SemVer.isValid(installed)) {
            return false;
        }
        return new SemVer(candidate).compareTo(new SemVer(installed)) < 0;
    }

    /** An installation as plain values. */
    static InstallationView view(Installation i) {
        HookTarget.Place place = i.target().place();
        ResolvedPackage p = i.pkg();
        return new InstallationView(i.id(), p.repository(), p.version(), p.digest(), p.source(), p.signedBy(),
                i.target().hookKind(), i.target().describe(), place.iface(), place.netns(),
                place.direction().map(d -> TrafficDirection.valueOf(d.name())),
                place.legacy().map(legacy -> legacy ? TcMode.LEGACY : TcMode.TCX), place.cgroup().map(Path::toString),
                i.programs(),
                i.priority(), i.proceedOn(), i.forced(), i.generation(), i.installedAt().toString());
    }

    private static ObjectState state(InstallationStatus.ObjectStatus o, ObjectKind kind) {
        return new ObjectState(kind, o.name(), o.pin().toString(), o.alive(), o.id(), o.detail(), o.runCount(),
                o.runTimeNanos());
    }
}
