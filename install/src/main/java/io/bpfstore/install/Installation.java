package io.bpfstore.install;

import java.time.Instant;
import java.util.List;

/**
 * A package attached on this host, as the state database records it: one generation (the programs and maps of one
 * version; an upgrade makes the next).
 *
 * @param id          the installation id: its name, also its folder under the bpffs folder
 * @param pkg         the package
 * @param target      where its programs attach
 * @param programs    the programs attached (for XDP: the one entry program composed into the dispatcher)
 * @param priority    its place at a shared hook: lower runs first (1..1000)
 * @param proceedOn   XDP: the actions on which the dispatcher runs the next package
 * @param forced      whether clash errors were overridden with {@code --force}
 * @param generation  1 for the first install, +1 per upgrade
 * @param installedAt when this generation was installed
 */
public record Installation(String id, ResolvedPackage pkg, HookTarget target, List<String> programs, int priority,
                           List<String> proceedOn, boolean forced, int generation, Instant installedAt) {
    /** Copies. */
    public Installation {
        programs = List.copyOf(programs);
        proceedOn = List.copyOf(proceedOn);
    }

    /** This installation as its next generation with another package. */
    Installation upgradedTo(ResolvedPackage next, List<String> nextPrograms, Instant now) {
        return new Installation(id, next, target, nextPrograms, priority, proceedOn, forced, generation + 1, now);
    }
}
