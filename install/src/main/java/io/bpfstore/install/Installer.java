package io.bpfstore.install;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.install.api.DoctorResult;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.store.manifest.Hook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Installs, upgrades and removes packages on this host: the operations behind {@link InstallService}, which
 * orchestrate and journal while each hook kind's {@link HookDriver} attaches, swaps and detaches. Opening one takes the state directory's lock (one
 * bpfstore command changes the host at a time) and first finishes whatever a killed command left in the journal
 * (see {@link Recovery}).
 *
 * <p>Usage: {@code try (Installer in = Installer.open(layout, PausePoints.none())) { in.install(request); }}
 */
final class Installer implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final InstallLayout layout;
    private final StateDatabase db;
    private final PausePoints pause;
    private final StateLock lock;
    private final boolean ownsDb;
    private final List<String> recovered;

    private Installer(InstallLayout layout, StateDatabase db, PausePoints pause, StateLock lock, boolean ownsDb) {
        this.layout = layout;
        this.db = db;
        this.pause = pause;
        this.lock = lock;
        this.ownsDb = ownsDb;
        this.recovered = new ArrayList<>();
    }

    /**
     * Opens the installations of {@code layout}: checks the bpffs folder, takes the lock, opens the state database
     * and completes or rolls back any unfinished operation.
     *
     * @throws InstallException if the bpffs folder is not on a bpffs or the state directory cannot be used
     */
    public static Installer open(InstallLayout layout, PausePoints pause) {
        return open(layout, pause, null);
    }

    /**
     * As {@link #open(InstallLayout, PausePoints)}, on the database {@code kept} holds open between operations
     * (null: one opened here and closed with the installer).
     */
    static Installer open(InstallLayout layout, PausePoints pause, KeptDatabase kept) {
        layout.prepare();
        StateLock lock = StateLock.acquire(layout.stateDir());
        StateDatabase db;
        try {
            db = kept == null ? StateDatabase.open(layout.database()) : kept.get();
        } catch (RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
        Installer installer = new Installer(layout, db, pause, lock, kept == null);
        try {
            installer.recovered.addAll(new Recovery(installer).run());
        } catch (RuntimeException e) {
            installer.close();
            throw e;
        }
        return installer;
    }

    /** What recovery did when this installer opened (one line per finished or rolled-back operation). */
    List<String> recovered() {
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
    record Outcome(Installation installation, List<String> warnings, List<String> order) {
    }

    // ---------------------------------------------------------------- install

    /** The installation id for a name, refused if bpffs or the db could not hold it. */
    static String idOf(String name) {
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
        ResolvedPackage pkg = request.pkg().configured(request.globals());
        String id = idOf(request.name().orElse(pkg.name()));
        if (db.installations().ids().contains(id)) {
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
        HookDriver driver = HookDriver.of(target);
        List<String> proceedOn = driver.options(request, hint);
        Installation inst = new Installation(id, pkg, target, programs.stream().map(Program::name).toList(), priority,
                proceedOn, request.force(), 1, Instant.now());
        List<Installation> sameHook = sameHook(inst);
        OwnPrograms.Held own = OwnPrograms.of(layout, db, sameHook, driver.sharedLink(layout).stream().toList());
        InstallPreflight.Result preflight = InstallPreflight.check(inst, sameHook, own.programs(), own.links(),
                request.force());

        Journal.Entry entry = db.inTransaction(() -> {
            Journal.Entry e = db.journal().begin(Operation.INSTALL, id, Step.INSTALL_BEGIN, 0, 1);
            db.installations().insert(inst, InstallationState.PENDING);
            return e;
        });
        try {
            pause.reached(Step.INSTALL_BEGIN);
            List<String> order;
            try (LoadedGeneration gen = LoadedGeneration.load(object, layout, id, 1, Map.of())) {
                Journal.Entry begun = entry;
                entry = db.inTransaction(() -> { // the pins and the step together: one commit
                    gen.pins().forEach(p -> db.pins().add(id, p));
                    return db.journal().advance(begun, Step.INSTALL_LOADED);
                });
                pause.reached(Step.INSTALL_LOADED);
                order = driver.attach(this, inst, gen.object().programs(), programs, request.beforeForeign());
            }
            entry = db.journal().advance(entry, Step.INSTALL_ATTACHED);
            pause.reached(Step.INSTALL_ATTACHED);
            Journal.Entry done = entry;
            db.durably(() -> {
                db.activate(id, 1);
                db.journal().finish(done);
                return null;
            });
            return new Outcome(db.installations().active(id).orElseThrow(), preflight.warnings(), order);
        } catch (RuntimeException e) {
            try {
                new Recovery(this).rollBackInstall(entry);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /** Active installations on the same shared hook as {@code inst} (same interface and direction, or cgroup). */
    List<Installation> sameHook(Installation inst) {
        return db.installations().active().stream().filter(o -> !o.id().equals(inst.id()) && o.target().equals(inst.target())).toList();
    }

    // ---------------------------------------------------------------- upgrade

    /**
     * Replaces installation {@code name}'s package with {@code pkg} atomically: the new generation is loaded beside
     * the old, then the links (or the XDP composition) are swapped to it in one update each. The new version passes
     * install's preflight first (kernel fit, clashes with the host as it is now; an installation forced at install
     * stays forced).
     *
     * @param resetMaps start maps whose definition changed empty instead of refusing
     * @throws InstallException if it is not installed, the new package lacks its programs, maps are incompatible, or
     *                          preflight refuses it
     */
    Outcome upgrade(String name, ResolvedPackage pkg, boolean resetMaps) {
        String id = idOf(name);
        Installation current = db.installations().active(id).orElseThrow(() -> new NotInstalledException(name));
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
        // install's preflight for the new version, against the host as it is now: kernel fit, and clashes with what
        // arrived at the hook since (the installation's own programs and its neighbours' are bpfstore's, not foreign)
        List<Installation> others = sameHook(current);
        List<Installation> ours = new ArrayList<>(others);
        ours.add(current);
        OwnPrograms.Held own = OwnPrograms.of(layout, db, ours, HookDriver.of(next.target()).sharedLink(layout).stream()
                .toList());
        InstallPreflight.Result preflight = InstallPreflight.check(next, others, own.programs(), own.links(),
                current.forced());
        Journal.Entry entry = db.inTransaction(() -> {
            Journal.Entry e = db.journal().begin(Operation.UPGRADE, id, Step.UPGRADE_BEGIN, current.generation(), next.generation());
            db.installations().insert(next, InstallationState.PENDING);
            return e;
        });
        try {
            pause.reached(Step.UPGRADE_BEGIN);
            List<String> order = List.of(id);
            Map<String, BpfMap> carried = new LinkedHashMap<>(LoadedGeneration.openMaps(db.pins().of(id), current.generation()));
            for (String bad : incompatible) {
                BpfMap reset = carried.remove(bad.substring("map ".length(), bad.indexOf(':')));
                if (reset != null) {
                    reset.close();
                }
            }
            Journal.Entry begun = entry;
            try (LoadedGeneration gen = LoadedGeneration.load(after, layout, id, next.generation(), carried)) {
                entry = db.inTransaction(() -> { // the pins and the step together: one commit
                    gen.pins().forEach(p -> db.pins().add(id, p));
                    return db.journal().advance(begun, Step.UPGRADE_LOADED);
                });
            } finally {
                carried.values().forEach(BpfMap::close);
            }
            pause.reached(Step.UPGRADE_LOADED);
            order = HookDriver.of(next.target()).point(this, next);
            entry = db.journal().advance(entry, Step.UPGRADE_SWAPPED);
            pause.reached(Step.UPGRADE_SWAPPED);
            new Recovery(this).finishUpgrade(entry); // the hook runs next already: no second recomposition
            return new Outcome(db.installations().active(id).orElseThrow(), preflight.warnings(), order);
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

    // ---------------------------------------------------------------- uninstall

    /**
     * Removes installation {@code name}: detaches it (recomposing its XDP hook without it), removes its pins and its
     * record.
     *
     * @throws InstallException if it is not installed
     */
    public void uninstall(String name) {
        String id = idOf(name);
        Installation current = db.installations().active(id).orElseThrow(() -> new NotInstalledException(name));
        Journal.Entry entry = db.journal().begin(Operation.UNINSTALL, id, Step.UNINSTALL_BEGIN, current.generation(), 0);
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
    void forget(String name) {
        String id = idOf(name);
        Installation current = db.installations().active(id).orElseThrow(() -> new NotInstalledException(name));
        PinFolders.remove(layout.installation(id));
        db.delete(id);
        HookDriver.of(current.target()).sharedLink(layout).filter(link -> sameHook(current).isEmpty())
                .ifPresent(link -> PinFolders.remove(link.getParent()));
    }

    // ---------------------------------------------------------------- queries

    /** The installations, by id. */
    public List<Installation> list() {
        return db.installations().active();
    }

    /** The installation {@code name}, if installed. */
    public Optional<Installation> find(String name) {
        return db.installations().active(idOf(name));
    }

    /**
     * What the kernel says about installation {@code name} now.
     *
     * @throws InstallException if it is not installed
     */
    public InstallationStatus status(String name) {
        Installation i = find(name).orElseThrow(() -> new NotInstalledException(name));
        return InstallationStatus.read(i, db.pins().of(i.id()), layout);
    }

    /** Compares bpffs, kernel and state database; with {@code repair}, removes orphans and dead records. */
    DoctorResult doctor(boolean repair) {
        return new Doctor(this).run(repair);
    }

    /** The pins installation {@code id} owns. */
    public List<Pin> pins(String id) {
        return db.pins().of(id);
    }

    @Override
    public void close() {
        if (ownsDb) {
            db.close();
        }
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
