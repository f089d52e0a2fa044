package io.bpfstore.install;

import java.io.PrintStream;
import java.util.Map;

/**
 * Crash-test hooks: when the environment variable {@value #ENV} names a step, the process prints
 * {@code paused at <step>} on stderr when it reaches that step and sleeps, so a test can {@code kill -9} it there
 * and check what the next command makes of the half-done operation.
 */
public final class PausePoints {
    /** The environment variable naming the step to pause at. */
    public static final String ENV = "BPFSTORE_PAUSE_AT";

    private final String pauseAt;
    private final PrintStream err;

    private PausePoints(String pauseAt, PrintStream err) {
        this.pauseAt = pauseAt;
        this.err = err;
    }

    /** Pause points as the environment sets them. */
    public static PausePoints fromEnvironment(Map<String, String> env) {
        return new PausePoints(env.getOrDefault(ENV, ""), System.err);
    }

    /** No pause points. */
    public static PausePoints none() {
        return new PausePoints("", System.err);
    }

    /** Pauses forever if {@code step} is the one asked for. */
    void reached(Step step) {
        if (!step.label().equals(pauseAt)) {
            return;
        }
        err.println("paused at " + step.label());
        err.flush();
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at pause point " + step.label(), e);
            }
        }
    }
}
