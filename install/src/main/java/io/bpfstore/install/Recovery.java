package io.bpfstore.install;

import java.util.ArrayList;
import java.util.List;

/**
 * Finishes what a killed command left in the journal. The rule per operation:
 * <ul>
 *   <li>install: roll back — recompose its XDP hook from the recorded installations, remove its folder (its links
 *       detach), delete its pending record;</li>
 *   <li>upgrade before {@link Step#UPGRADE_SWAPPED}: roll back — point the links (or the XDP composition) at the old
 *       generation again, remove the new generation; from the swap on: complete — remove the old generation and
 *       make the new one active;</li>
 *   <li>uninstall: complete — detach, remove its folder, delete its record.</li>
 * </ul>
 * Every step is idempotent, so a recovery that is itself killed is finished by the next one.
 */
final class Recovery {
    private final Installer installer;

    Recovery(Installer installer) {
        this.installer = installer;
    }

    /**
     * Handles every unfinished journal entry; returns one line per entry saying what was done. An entry that cannot
     * be finished now (the kernel refuses a recomposition) stays in the journal and is reported, so that the
     * command itself, and {@code doctor}, can still run.
     */
    List<String> run() {
        List<String> done = new ArrayList<>();
        for (Journal.Entry e : installer.db().journal().unfinished()) {
            try {
                done.add(finish(e));
            } catch (RuntimeException failure) {
                done.add("could not finish the interrupted " + e.operation().label() + " of " + e.installation() + " (at "
                        + e.step().label() + "): " + failure.getMessage() + "; the next command tries again");
            }
        }
        return done;
    }

    private String finish(Journal.Entry e) {
        return switch (e.operation()) {
            case INSTALL -> {
                rollBackInstall(e);
                yield "rolled back the interrupted install of " + e.installation() + " (at " + e.step().label() + ")";
            }
            case UPGRADE -> {
                if (e.step() == Step.UPGRADE_SWAPPED) {
                    completeUpgrade(e);
                    yield "completed the interrupted upgrade of " + e.installation();
                }
                rollBackUpgrade(e);
                yield "rolled back the interrupted upgrade of " + e.installation() + " (at " + e.step().label() + ")";
            }
            case UNINSTALL -> {
                completeUninstall(e);
                yield "completed the interrupted uninstall of " + e.installation();
            }
        };
    }

    void rollBackInstall(Journal.Entry e) {
        StateDatabase db = installer.db();
        String id = e.installation();
        // at INSTALL_BEGIN nothing reached the kernel; from INSTALL_LOADED on, the hook may hold the new member (a
        // legacy filter holds its program: it is deleted before the pins go)
        if (e.step() != Step.INSTALL_BEGIN) {
            db.installations().generation(id, e.toGeneration()).ifPresent(pending -> HookDriver.of(pending.target())
                    .detach(installer, pending));
        }
        PinFolders.remove(installer.layout().installation(id));
        db.durably(() -> {
            db.delete(id);
            db.journal().finish(e);
            return null;
        });
    }

    void rollBackUpgrade(Journal.Entry e) {
        StateDatabase db = installer.db();
        String id = e.installation();
        db.installations().active(id).ifPresent(current -> HookDriver.of(current.target()).repoint(installer, current));
        PinFolders.remove(installer.layout().generation(id, e.toGeneration()));
        db.durably(() -> {
            db.deleteGeneration(id, e.toGeneration());
            db.journal().finish(e);
            return null;
        });
    }

    void completeUpgrade(Journal.Entry e) {
        StateDatabase db = installer.db();
        String id = e.installation();
        Installation next = db.installations().generation(id, e.toGeneration()).orElseThrow(() -> new IllegalStateException(
                "journal: upgrade of " + id + " to generation " + e.toGeneration() + " has no record"));
        HookDriver.of(next.target()).repoint(installer, next);
        finishUpgrade(e);
    }

    /**
     * The end of an upgrade whose hook already runs the new generation (the swap just succeeded in this process):
     * removes the old generation and makes the new one active.
     */
    void finishUpgrade(Journal.Entry e) {
        StateDatabase db = installer.db();
        String id = e.installation();
        PinFolders.remove(installer.layout().generation(id, e.fromGeneration()));
        db.durably(() -> {
            db.activate(id, e.toGeneration());
            db.journal().finish(e);
            return null;
        });
    }

    void completeUninstall(Journal.Entry e) {
        StateDatabase db = installer.db();
        String id = e.installation();
        Journal.Entry entry = e;
        db.installations().active(id).ifPresent(current -> HookDriver.of(current.target()).detach(installer, current));
        entry = db.journal().advance(entry, Step.UNINSTALL_DETACHED);
        installer.pause().reached(Step.UNINSTALL_DETACHED);
        PinFolders.remove(installer.layout().installation(id));
        entry = db.journal().advance(entry, Step.UNINSTALL_UNPINNED);
        installer.pause().reached(Step.UNINSTALL_UNPINNED);
        Journal.Entry done = entry;
        db.durably(() -> {
            db.delete(id);
            db.journal().finish(done);
            return null;
        });
    }
}
