package io.bpfstore.install;

import io.bpfstore.install.api.DoctorResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Compares the bpffs folder and the kernel with the state database: pins without a record (orphans: removed on
 * repair, which releases the kernel objects they hold), and records whose kernel objects are gone or detached (the
 * pin was removed by hand, the interface or cgroup went away: the record is dropped on repair and the hook
 * recomposed for the installations left on it).
 */
final class Doctor {
    private final Installer installer;

    Doctor(Installer installer) {
        this.installer = installer;
    }

    /**
     * One disagreement.
     *
     * @param kind    what kind
     * @param subject the pin path or installation id
     * @param message what is wrong, in words
     */
    record Problem(Kind kind, String subject, String message) {
        /** The kinds of disagreement. */
        enum Kind {
            /** A folder under the bpffs folder that no installation owns. */
            ORPHAN_FOLDER,
            /** A pin inside an installation's folder that its record does not list. */
            ORPHAN_PIN,
            /** A dispatcher folder for a hook no installation uses. */
            ORPHAN_DISPATCHER,
            /** An installation whose recorded object is gone or detached. */
            BROKEN_INSTALLATION,
            /** A legacy tc filter running a program pinned under the bpffs folder that no installation records. */
            ORPHAN_FILTER
        }
    }

    /** Finds the problems; with {@code repair}, fixes each and says how. */
    DoctorResult run(boolean repair) {
        InstallLayout layout = installer.layout();
        StateDatabase db = installer.db();
        List<Problem> problems = new ArrayList<>();
        List<String> repaired = new ArrayList<>();
        List<Installation> active = db.active();
        Set<String> ids = new HashSet<>(db.ids());
        orphanFilters(problems, repaired, repair);
        for (Path entry : list(layout.bpffs())) {
            String name = entry.getFileName().toString();
            if (name.equals(InstallLayout.DISPATCH_DIR)) {
                for (Path hook : list(entry)) {
                    String key = hook.getFileName().toString();
                    boolean used = active.stream().anyMatch(i -> i.target() instanceof HookTarget.Xdp x
                            && x.dispatcherKey().equals(key));
                    if (!used) {
                        problems.add(new Problem(Problem.Kind.ORPHAN_DISPATCHER, hook.toString(),
                                "dispatcher pins " + hook + " belong to no installation"));
                        if (repair) {
                            PinFolders.remove(hook);
                            repaired.add("removed " + hook);
                        }
                    }
                }
            } else if (!ids.contains(name)) {
                problems.add(new Problem(Problem.Kind.ORPHAN_FOLDER, entry.toString(),
                        entry + " belongs to no installation"));
                if (repair) {
                    PinFolders.remove(entry);
                    repaired.add("removed " + entry);
                }
            } else {
                Set<Path> recorded = new HashSet<>();
                db.pins(name).forEach(p -> recorded.add(p.path()));
                for (Path file : files(entry)) {
                    if (!recorded.contains(file)) {
                        problems.add(new Problem(Problem.Kind.ORPHAN_PIN, file.toString(),
                                file + " is not recorded for installation " + name));
                        if (repair) {
                            PinFolders.detachIfLink(file);
                            io.bpfstore.kernel.Pins.unpin(file);
                            repaired.add("removed " + file);
                        }
                    }
                }
            }
        }
        for (Installation i : active) {
            List<String> broken = new ArrayList<>();
            for (InstallationStatus.ObjectStatus o : InstallationStatus.read(i, db.pins(i.id()), layout).objects()) {
                if (!o.alive()) {
                    broken.add(o.kind().name().toLowerCase() + " " + o.name() + " (" + o.detail() + ")");
                }
            }
            for (LegacyFilter f : db.filters(i.id())) {
                var now = LegacyFilters.find(f);
                if (now.isEmpty()) {
                    broken.add(f.describe() + " (gone)");
                } else if (!LegacyFilters.ownPrograms(db, f).contains(now.get().programId())) {
                    broken.add(f.describe() + " (runs program " + now.get().programId() + ", not bpfstore's)");
                }
            }
            if (i.target() instanceof HookTarget.Xdp xdp) {
                InstallationStatus.ObjectStatus d = InstallationStatus.of(Pin.Kind.LINK, xdp.dispatcherKey(),
                        XdpDispatch.linkPin(layout, xdp));
                if (!d.alive()) {
                    broken.add("dispatcher link of " + xdp.describe() + " (" + d.detail() + ")");
                }
            }
            if (!broken.isEmpty()) {
                problems.add(new Problem(Problem.Kind.BROKEN_INSTALLATION, i.id(), "installation " + i.id()
                        + " lost " + String.join(", ", broken)));
                if (repair) {
                    drop(i);
                    repaired.add("dropped the record of " + i.id() + " and its pins");
                }
            }
        }
        return new DoctorResult(problems.stream().map(Problem::message).toList(), repaired);
    }

    /** Removes a broken installation's pins and record, and recomposes its XDP hook for the others on it. */
    private void drop(Installation broken) {
        StateDatabase db = installer.db();
        LegacyFilters.detach(db, broken.id());
        PinFolders.remove(installer.layout().installation(broken.id()));
        db.delete(broken.id());
        if (broken.target() instanceof HookTarget.Xdp xdp) {
            installer.recomposeOrRelease(xdp, db.active().stream().filter(o -> o.target().equals(xdp)).toList());
        }
    }

    /**
     * Legacy tc filters on this host's clsact hooks that run a program pinned under the bpffs folder but that no
     * installation records there (a filter keeps its program alive after the pins are gone, so these are found by
     * the pins first). Filters of programs pinned elsewhere — other tools', another state directory's — are not
     * looked at.
     */
    private void orphanFilters(List<Problem> problems, List<String> repaired, boolean repair) {
        Set<Integer> pinned = new HashSet<>();
        for (Path file : Files.isDirectory(installer.layout().bpffs()) ? files(installer.layout().bpffs()) : List.<Path>of()) {
            io.bpfstore.kernel.PinnedObject.read(file).filter(o -> o.kind() == io.bpfstore.kernel.PinnedObject.Kind.PROGRAM)
                    .ifPresent(o -> pinned.add(o.id()));
        }
        if (pinned.isEmpty()) {
            return;
        }
        List<LegacyFilter> recorded = installer.db().filters();
        for (LegacyFilters.Found found : LegacyFilters.scan()) {
            if (!pinned.contains(found.filter().programId()) || recorded.stream().anyMatch(found::is)) {
                continue;
            }
            problems.add(new Problem(Problem.Kind.ORPHAN_FILTER, found.describe(), found.describe()
                    + " runs a bpfstore program but belongs to no installation"));
            if (repair) {
                io.bpfstore.kernel.link.TcLegacy.detach(found.options(), found.filter().programId(), false);
                repaired.add("deleted " + found.describe());
            }
        }
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("list " + dir + ": " + e.getMessage(), e);
        }
    }
}
