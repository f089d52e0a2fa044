package io.bpfstore.install;

/**
 * The journaled steps of each operation, in order. The journal records the last step reached; {@link Recovery}
 * decides from it whether to roll back or complete. Labels are what {@link PausePoints} matches.
 */
public enum Step {
    /** Install: journal written, nothing in the kernel yet. */
    INSTALL_BEGIN("install-begin"),
    /** Install: programs and maps loaded and pinned, nothing attached. */
    INSTALL_LOADED("install-loaded"),
    /** Install: attached (links pinned or dispatcher recomposed), not yet recorded. */
    INSTALL_ATTACHED("install-attached"),
    /** Upgrade: journal written. */
    UPGRADE_BEGIN("upgrade-begin"),
    /** Upgrade: the new generation loaded and pinned beside the old one. */
    UPGRADE_LOADED("upgrade-loaded"),
    /** Upgrade: every link updated to the new generation (point of no return: recovery completes from here). */
    UPGRADE_SWAPPED("upgrade-swapped"),
    /** Uninstall: journal written (recovery always completes an uninstall). */
    UNINSTALL_BEGIN("uninstall-begin"),
    /** Uninstall: programs detached (links unpinned, dispatcher recomposed without it). */
    UNINSTALL_DETACHED("uninstall-detached"),
    /** Uninstall: every pin removed, record not yet deleted. */
    UNINSTALL_UNPINNED("uninstall-unpinned");

    private final String label;

    Step(String label) {
        this.label = label;
    }

    /** The step's name in the journal and for {@link PausePoints}. */
    public String label() {
        return label;
    }
}
