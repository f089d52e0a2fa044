package io.bpfstore.install;

import java.util.List;
import java.util.Map;
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
 * @param globals       values for the object's {@code .rodata}/{@code .data} variables ({@code --set NAME=VALUE}),
 *                      written into the installed object before its first load, so that every later load of the
 *                      installation (XDP recomposition, restart) starts from them
 */
record InstallPlan(ResolvedPackage pkg, Optional<String> name, HookTarget target, Optional<String> program,
                   Optional<Integer> priority, Optional<List<String>> proceedOn, boolean force,
                   boolean beforeForeign, Map<String, String> globals) {
    /** Copies. */
    InstallPlan {
        proceedOn = proceedOn.map(List::copyOf);
        globals = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(globals));
    }

    /** A plan that sets no global variable. */
    InstallPlan(ResolvedPackage pkg, Optional<String> name, HookTarget target, Optional<String> program,
                Optional<Integer> priority, Optional<List<String>> proceedOn, boolean force, boolean beforeForeign) {
        this(pkg, name, target, program, priority, proceedOn, force, beforeForeign, Map.of());
    }
}
