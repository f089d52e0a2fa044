package io.bpfstore.install;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.install.api.DoctorResult;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.store.manifest.Hook;
import io.bpfstore.store.manifest.HookActions;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Installs, upgrades and removes packages on this host. Opening one takes the state directory's lock (one
 * bpfstore command changes the host at a time) and first finishes whatever a killed command left in the journal
 * (see {@link Recovery}).
 *
 * <p>Usage: {@code try (Installer in = Installer.open(layout, PausePoints.none())) { in.install(request); }}
 */
public final class Installer implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final InstallLayout layout;
    private final StateDatabase db;
    private final PausePoints pause;
    private final StateLock lock;
    private final List<String> recovered;

    private Installer(InstallLayout layout, StateDatabase db, PausePoints pause, StateLock lock) {
        this.layout = layout;
        this.db = db;
        this.pause = pause;
        this.lock = lock;
        this.recovered = new ArrayList<>();
    }

    /**
     * Opens the installations of {@code layout}: checks the bpffs folder, takes the lock, opens the state database
     * and completes or rolls back any unfinished operation.
     *
     * @throws InstallException if the bpffs folder is not on a bpffs or the state directory cannot be used
     */
    public static Installer open(InstallLayout layout, PausePoints pause) {
        layout.prepare();
        StateLock lock = StateLock.acquire(layout.stateDir());
        StateDatabase db;
        try {
            db = StateDatabase.open(layout.database());
        } catch (RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
        Installer installer = new Installer(layout, db, pause, lock);
        try {
            installer.recovered.addAll(new Recovery(installer).run());
        } catch (RuntimeException e) {
            installer.close();
            throw e;
        }
        return installer;
    }

    /** What recovery did when this installer opened (one line per finished or rolled-back operation). */
    public List<String> recovered() {
        return List.copyOf(recovered);
    }

    /** The layout. */
    public InstallLayout layout() {
        return layout;
    }

    StateDatabase db() {
        return db;
    }

    PausePoints pause() {
        return pause;
    }

    /**
     * What an install or upgrade did.
     *
     * @param installation the installation as recorded
     * @param warnings     clash findings to show
     * @param order        for XDP: the installations on the hook in run order
     */
    public record Outcome(Installation installation, List<String> warnings, List<String> order) {
    }

    // ---------------------------------------------------------------- install

    /** The installation id for a name, refused if bpffs or the db could not hold it. */
    public static String idOf(String name) {
        String id = name.replace('.', '_');
        if (!ID.matcher(id).matches()) {
            throw new InstallException("installation name \"" + name + "\": use 1 to 64 of a-z 0-9 _ - (starting "
                    + "with a letter or digit)");
        }
        return id;
    }

    /**
     * Installs a package: preflight, load and pin, attach, record.
     *
     * @throws InstallException for bad input or a refusal; nothing is attached or recorded then
     */
    Outcome install(InstallPlan request) {
        ResolvedPackage pkg = request.pkg();
        String id = idOf(request.name().orElse(pkg.name()));
        if (db.ids().contains(id)) {
            throw new InstallException(id + " is already installed (bpfstore upgrade " + id + " replaces it; "
                    + "--name installs the package again under another name)");
        }
        BpfObject object = pkg.parse();
        HookTarget target = request.target();
        List<Program> programs = TargetSelection.programs(target, object, request.program(), pkg);
        TargetSelection.requireExists(target);
        Optional<Hook> hint = pkg.hook(programs.getFirst().name());
        int priority = request.priority().orElse(hint.map(Hook::priority).orElse(Hook.DEFAULT_PRIORITY));
        if (priority < Hook.MIN_PRIORITY || priority > Hook.MAX_PRIORITY) {
            throw new InstallException("--priority " + priority + " is outside " + Hook.MIN_PRIORITY + ".."
                    + Hook.MAX_PRIORITY);
        }
        List<String> proceedOn = List.of();
        if (target instanceof HookTarget.Xdp) {
            proceedOn = request.proceedOn().orElse(hint.map(Hook::proceedOn).filter(l -> !l.isEmpty())
                    .orElse(HookActions.XDP.defaults()));
            XdpComposition.actionCodes(proceedOn);
        } else if (request.proceedOn().isPresent()) {
            throw new InstallException("--proceed-on applies to XDP, where bpfstore's dispatcher chains packages; "
                    + target.describe() + " chains in the kernel");
        }
        if (target instanceof HookTarget.Tc tc && tc.legacy() && request.beforeForeign()) {
            throw new InstallException("--before-foreign applies to tcx links; legacy tc filters run in tc priority "
                    + "order (installation priority p takes tc priorities " + LegacyFilters.BAND + "*p and up)");
        }
        Installation inst = new Installation(id, pkg, target, programs.stream().map(Program::name).toList(), priority,
                proceedOn, request.force(), 1, Instant.now());
        List<Installation> sameHook = sameHook(inst);
        InstallPreflight.Result preflight = InstallPreflight.check(inst, sameHook, ownPrograms(inst, sameHook),
                request.force());

        StateDatabase.Entry entry = db.inTransaction(() -> {
            StateDatabase.Entry e = db.begin("install", id, Step.INSTALL_BEGIN, 0, 1);
            db.insert(inst, "pending");
            return e;
        });
        try {
            pause.reached(Step.INSTALL_BEGIN);
            List<String> order = List.of(id);
            try (LoadedGeneration gen = LoadedGeneration.load(object, layout, id, 1, Map.of())) {
                gen.pins().forEach(p -> db.addPin(id, p));
                entry = db.advance(entry, Step.INSTALL_LOADED);
                pause.reached(Step.INSTALL_LOADED);
                if (target instanceof HookTarget.Xdp xdp) {
                    List<Installation> members = new ArrayList<>(sameHook);
                    members.add(inst);
                    order = reconcile(xdp, members);
                } else if (target instanceof HookTarget.Tc tc && tc.legacy()) {
                    LegacyFilters.attach(db, inst, tc, gen.object().programs(), programs);
                } else {
                    attachLinks(inst, gen.object().programs(), programs, sameHook, request.beforeForeign());
                }
            }
            entry = db.advance(entry, Step.INSTALL_ATTACHED);
            pause.reached(Step.INSTALL_ATTACHED);
            StateDatabase.Entry done = entry;
            db.inTransaction(() -> {
                db.activate(id, 1);
                db.finish(done);
                return null;
            });
            return new Outcome(db.active(id).orElseThrow(), preflight.warnings(), order);
        } catch (RuntimeException e) {
            try {
                new Recovery(this).rollBackInstall(entry);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    private void attachLinks(Installation inst, Map<String, BpfProgram> loaded, List<Program> programs,
                             List<Installation> sameHook, boolean beforeForeign) {
        List<LinkAttacher.Neighbour> neighbours = new ArrayList<>();
        for (Installation other : sameHook) {
            for (Pin p : db.pins(other.id())) {
                if (p.kind() == Pin.Kind.LINK) {
                    neighbours.add(new LinkAttacher.Neighbour(p.kernelId(), other.priority(), other.id()));
                }
            }
        }
        List<Pin> links = LinkAttacher.attach(inst, loaded, programs, layout, neighbours, beforeForeign);
        links.forEach(p -> db.addPin(inst.id(), p));
    }

    /** Active installations on the same shared hook as {@code inst} (same interface and direction, or cgroup). */
    List<Installation> sameHook(Installation inst) {
        return db.active().stream().filter(o -> !o.id().equals(inst.id()) && o.target().equals(inst.target())).toList();
    }

    /** Program ids bpfstore itself runs on the hook (the dispatcher's, the links' and filters' programs). */
    private Set<Integer> ownPrograms(Installation inst, List<Installation> sameHook) {
        return OwnPrograms.of(layout, db, sameHook, inst.target() instanceof HookTarget.Xdp xdp ? List.of(xdp) : List.of());
    }

    /**
     * Recomposes an XDP hook from {@code installations} (each at the generation given), opening their maps from
     * their pins for the time of the composition.
     */
    List<String> reconcile(HookTarget.Xdp hook, List<Installation> installations) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            List<XdpComposition.Member> members = XdpDispatch.members(installations, db::pins, opened);
            return XdpDispatch.reconcile(layout, hook, members);
        } finally {
            opened.forEach(Installer::closeQuietly);
        }
    }

    /**
     * Recomposes an XDP hook for recovery and repair: with no member left, or when its interface (or namespace) is
     * gone — then the link is defunct and only its pins remain — the dispatcher's pins are removed instead.
     */
    void recomposeOrRelease(HookTarget.Xdp hook, List<Installation> installations) {
        if (installations.isEmpty() || !TargetSelection.exists(hook)) {
            PinFolders.remove(layout.dispatcher(hook.dispatcherKey()));
            return;
        }
        reconcile(hook, installations);
    }

    // ---------------------------------------------------------------- upgrade

    /**
     * Replaces installation {@code name}'s package with {@code pkg} atomically: the new generation is loaded beside
     * the old, then the links (or the XDP composition) are swapped to it in one update each.
     *
     * @param resetMaps start maps whose definition changed empty instead of refusing
     * @throws InstallException if it is not installed, the new package lacks its programs, or maps are incompatible
     */
    public Outcome upgrade(String name, ResolvedPackage pkg, boolean resetMaps) {
        String id = idOf(name);
        Installation current = db.active(id).orElseThrow(() -> new InstallException(name + " is not installed"));
        BpfObject before = current.pkg().parse();
        BpfObject after = pkg.parse();
        List<Program> programs = new ArrayList<>();
        for (String p : current.programs()) {
            Program np = after.program(p).orElseThrow(() -> new InstallException(pkg.repository() + " " + pkg.version()
                    + " has no program " + p + ", which " + id + " runs; uninstall and install instead"));
            if (!np.type().equals(before.program(p).flatMap(Program::type))) {
                throw new InstallException("program " + p + " changed its type in " + pkg.version()
                        + "; uninstall and install instead");
            }
            programs.add(np);
        }
        List<String> incompatible = MapCarryOver.incompatible(before, after);
        if (!incompatible.isEmpty() && !resetMaps) {
            throw new InstallException("refused: " + String.join("; ", incompatible) + " — their contents cannot be "
                    + "kept (--reset-maps starts them empty)");
        }
        Installation next = current.upgradedTo(pkg, current.programs(), Instant.now());
        StateDatabase.Entry entry = db.inTransaction(() -> {
            StateDatabase.Entry e = db.begin("upgrade", id, Step.UPGRADE_BEGIN, current.generation(), next.generation());
            db.insert(next, "pending");
            return e;
        });
        try {
            pause.reached(Step.UPGRADE_BEGIN);
            List<String> order = List.of(id);
            Map<String, BpfMap> carried = new LinkedHashMap<>(LoadedGeneration.openMaps(db.pins(id), current.generation()));
            for (String bad : incompatible) {
                BpfMap reset = carried.remove(bad.substring("map ".length(), bad.indexOf(':')));
                if (reset != null) {
                    reset.close();
                }
            }
            try (LoadedGeneration gen = LoadedGeneration.load(after, layout, id, next.generation(), carried)) {
                gen.pins().forEach(p -> db.addPin(id, p));
            } finally {
                carried.values().forEach(BpfMap::close);
            }
            entry = db.advance(entry, Step.UPGRADE_LOADED);
            pause.reached(Step.UPGRADE_LOADED);
            if (next.target() instanceof HookTarget.Xdp xdp) {
                List<Installation> members = new ArrayList<>(sameHook(next));
                members.add(next);
                order = reconcile(xdp, members);
            } else {
                alignLinks(id, next.generation());
            }
            entry = db.advance(entry, Step.UPGRADE_SWAPPED);
            pause.reached(Step.UPGRADE_SWAPPED);
            new Recovery(this).completeUpgrade(entry);
            return new Outcome(db.active(id).orElseThrow(), List.of(), order);
        } catch (RuntimeException e) {
            if (entry.step() != Step.UPGRADE_SWAPPED) {
                try {
                    new Recovery(this).rollBackUpgrade(entry);
                } catch (RuntimeException again) {
                    e.addSuppressed(again);
                }
            }
            throw e;
        }
    }

    /**
     * Points every link (and legacy tc filter) of {@code id} at the programs of {@code generation} (an update per
     * link that differs; tc's atomic replace per filter).
     */
    void alignLinks(String id, int generation) {
        LegacyFilters.align(db, id, generation);
        List<Pin> pins = db.pins(id);
        for (Pin link : pins) {
            if (link.kind() != Pin.Kind.LINK || !Files.exists(link.path())) {
                continue;
            }
            Pin program = pins.stream().filter(p -> p.kind() == Pin.Kind.PROGRAM && p.generation() == generation
                    && p.name().equals(link.name())).findFirst().orElseThrow(() -> new InstallException(
                    "generation " + generation + " of " + id + " has no program " + link.name()));
            try (BpfLink l = BpfLink.openPinned(link.path());
                 BpfProgram wanted = BpfProgram.openPinned(program.path())) {
                int now = l.info().programId();
                if (now != wanted.id()) {
                    try (BpfProgram running = BpfProgram.fromId(now)) {
                        l.update(running, wanted);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- uninstall

    /**
     * Removes installation {@code name}: detaches it (recomposing its XDP hook without it), removes its pins and its
     * record.
     *
     * @throws InstallException if it is not installed
     */
    public void uninstall(String name) {
        String id = idOf(name);
        Installation current = db.active(id).orElseThrow(() -> new InstallException(name + " is not installed"));
        StateDatabase.Entry entry = db.begin("uninstall", id, Step.UNINSTALL_BEGIN, current.generation(), 0);
        pause.reached(Step.UNINSTALL_BEGIN);
        new Recovery(this).completeUninstall(entry);
    }

    /**
     * Forgets installation {@code name} whose kernel objects are all gone (after a reboot: pins and links went with
     * the bpffs), so that it can be installed again: removes its record, its filter records and what remains of its
     * pin folders (and its XDP hook's dispatcher folder when no other installation is recorded there). Changes
     * nothing in the kernel.
     *
     * @throws InstallException if it is not installed
     */
    public void forget(String name) {
        String id = idOf(name);
        Installation current = db.active(id).orElseThrow(() -> new InstallException(name + " is not installed"));
        PinFolders.remove(layout.installation(id));
        db.deleteFilters(id);
        db.delete(id);
        if (current.target() instanceof HookTarget.Xdp xdp && sameHook(current).isEmpty()) {
            PinFolders.remove(layout.dispatcher(xdp.dispatcherKey()));
        }
    }

    // ---------------------------------------------------------------- queries

    /** The installations, by id. */
    public List<Installation> list() {
        return db.active();
    }

    /** The installation {@code name}, if installed. */
    public Optional<Installation> find(String name) {
        return db.active(idOf(name));
    }

    /**
     * What the kernel says about installation {@code name} now.
     *
     * @throws InstallException if it is not installed
     */
    public InstallationStatus status(String name) {
        Installation i = find(name).orElseThrow(() -> new InstallException(name + " is not installed"));
        return InstallationStatus.read(i, db.pins(i.id()), layout);
    }

    /** Compares bpffs, kernel and state database; with {@code repair}, removes orphans and dead records. */
    public DoctorResult doctor(boolean repair) {
        return new Doctor(this).run(repair);
    }

    /** The pins installation {@code id} owns. */
    public List<Pin> pins(String id) {
        return db.pins(id);
    }

    @Override
    public void close() {
        db.close();
        lock.close();
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing fds and files: nothing useful to do on failure
        }
    }
}
