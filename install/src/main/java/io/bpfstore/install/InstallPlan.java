package io.bpfstore.install;

import java.util.List;
import java.util.Optional;

/**
 * An install the {@link InstallService} has prepared for the {@link Installer}: the package resolved and admitted,
 * the hook chosen.
 *
 * @param pkg           the package
 * @param name          the installation name (default: the package name)
 * @param target        where to attach
 * @param program       the one program to attach, when the package has several for the hook
 * @param priority      the place at a shared hook, when given (default: the manifest's hook hint, else 50)
 * @param proceedOn     XDP proceed-on actions, when given (default: the manifest's, else pass, dispatcher_return)
 * @param force         install despite clash errors
 * @param beforeForeign tc: go before other tools' links (default after them)
 */
record InstallPlan(ResolvedPackage pkg, Optional<String> name, HookTarget target, Optional<String> program,
                          Optional<Integer> priority, Optional<List<String>> proceedOn, boolean force,
                          boolean beforeForeign) {
    /** Copies. */
    InstallPlan {
        proceedOn = proceedOn.map(List::copyOf);
    }
}
