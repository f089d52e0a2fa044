package io.bpfstore.store.manifest;

import java.util.List;

/**
 * How one program of the package takes its place at a shared hook (libxdp's and bpfman's dispatcher model).
 *
 * @param program   the entry program's function name
 * @param priority  1 (runs first) .. 1000 (runs last)
 * @param proceedOn the program's return actions on which the dispatcher runs the next program; action names
 *                  from {@link HookActions} for the program's hook
 */
public record Hook(String program, int priority, List<String> proceedOn) {
    /** Lowest priority number (runs first). */
    public static final int MIN_PRIORITY = 1;
    /** Highest priority number (runs last). */
    public static final int MAX_PRIORITY = 1000;
    /** The priority given when the manifest does not say (libxdp's and bpfman's default). */
    public static final int DEFAULT_PRIORITY = 50;

    /** Copies the list; checks the priority range. */
    public Hook {
        proceedOn = List.copyOf(proceedOn);
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " is outside " + MIN_PRIORITY + ".."
                    + MAX_PRIORITY);
        }
    }
}
