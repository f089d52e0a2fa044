package io.bpfstore.install;

import java.util.Optional;

/**
 * For the agent's watch, metrics and data tests, which hold an {@link Installer} open while they install: the
 * install step of {@link InstallService} on that open installer (the service itself would open the installations
 * again, which the state lock refuses in one thread).
 */
public final class TestInstalls {
    private TestInstalls() {
    }

    /** Installs {@code pkg} as {@code name} at {@code target} with the defaults (forced when {@code force}). */
    public static void install(Installer in, ResolvedPackage pkg, String name, HookTarget target, boolean force) {
        in.install(new InstallPlan(pkg, Optional.of(name), target, Optional.empty(), Optional.empty(), Optional.empty(),
                force, false));
    }
}
