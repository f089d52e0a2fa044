package io.bpfstore.install;

import io.bpfstore.bytecode.object.Program;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.store.manifest.Hook;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How installations attach at one kind of hook: one driver per kind, so that {@link Installer}, {@link Recovery}
 * and {@link Doctor} only orchestrate and journal, and what differs between XDP composition, tcx, legacy tc,
 * cgroup and tracing lives here. Every operation is idempotent: recovery repeats it after a kill.
 *
 * <p>The operations, in an installation's life: {@link #options} (before anything is loaded), {@link #attach}
 * (install), {@link #point} (upgrade's swap, and the roll-back or completion of an interrupted upgrade), and
 * {@link #detach} (uninstall, the roll-back of an interrupted install, doctor's repair).
 */
sealed interface HookDriver permits InterfaceDriver, LinkDriver {

    /** The driver of {@code target}. */
    static HookDriver of(HookTarget target) {
        return switch (target) {
            case HookTarget.Xdp x -> new XdpDriver(x);
            case HookTarget.Tc t -> t.legacy() ? new TcLegacyDriver(t) : new TcxDriver(t);
            case HookTarget.Cgroup c -> new CgroupDriver(c);
            case HookTarget.Tracing t -> new TracingDriver();
        };
    }

    /** The hook this driver attaches at. */
    HookTarget target();

    /** Whether {@code program} can attach at this hook. */
    boolean accepts(Program program);

    /** Whether an installation attaches one program here (XDP, tc) rather than every program that fits. */
    default boolean oneProgram() {
        return false;
    }

    /**
     * Checks that the hook exists (interface and namespace, cgroup directory).
     *
     * @throws InstallException naming what is missing
     */
    default void requireHook() {
    }

    /**
     * Checks the plan's hook-specific options and returns the proceed-on actions to record.
     *
     * @param hint the manifest's hook hint for the entry program
     * @throws InstallException for an option this hook does not take
     */
    default List<String> options(InstallPlan plan, Optional<Hook> hint) {
        if (plan.proceedOn().isPresent()) {
            throw new InstallException("--proceed-on applies to XDP, where bpfstore's dispatcher chains packages; "
                    + target().describe() + " chains in the kernel");
        }
        return List.of();
    }

    /**
     * Attaches {@code programs} of {@code inst} (loaded, pinned and recorded as pending) beside the installations
     * already on the hook, and records what it attached.
     *
     * @param loaded        the loaded programs by name
     * @param beforeForeign tcx: go before other tools' links
     * @return the installations on the hook in run order, where the hook orders them (else just this one)
     */
    List<String> attach(Installer in, Installation inst, Map<String, BpfProgram> loaded, List<Program> programs,
                        boolean beforeForeign);

    /**
     * Makes the hook run {@code inst} at {@code inst.generation()}: the swap of an upgrade, and pointing back (or
     * forward) after an interrupted one.
     *
     * @return the installations on the hook in run order, where the hook orders them (else just this one)
     */
    List<String> point(Installer in, Installation inst);

    /**
     * {@link #point} for recovery and repair, which must finish even when the hook itself is gone: where the kind
     * shares a link whose interface vanished, its pins are released instead of failing.
     */
    default List<String> repoint(Installer in, Installation inst) {
        return point(in, inst);
    }

    /** Takes {@code inst} off the hook, leaving the others on it running. Its pins are the caller's to remove. */
    void detach(Installer in, Installation inst);

    /** The pin of the link the installations on this hook share (XDP: the dispatcher's), if the kind has one. */
    default Optional<Path> sharedLink(InstallLayout layout) {
        return Optional.empty();
    }
}
