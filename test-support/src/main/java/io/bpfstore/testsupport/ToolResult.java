package io.bpfstore.testsupport;

import java.util.List;

/**
 * How an external tool run ended: its exit status and what it printed on each stream.
 *
 * @param command the command line that ran, program first
 * @param exit    the exit status
 * @param out     standard output, decoded as UTF-8
 * @param err     standard error, decoded as UTF-8
 */
public record ToolResult(List<String> command, int exit, String out, String err) {
    /** Copies the command so the record stays immutable. */
    public ToolResult {
        command = List.copyOf(command);
    }

    /** Whether the tool exited with status 0. */
    public boolean succeeded() {
        return exit == 0;
    }

    /** Standard output followed by standard error, for diagnostics and for tools that report errors on either. */
    public String combined() {
        return out + err;
    }

    /**
     * Fails the test unless the tool exited 0; the failure names the command, its exit status and its stderr (or its
     * stdout when stderr is empty, as some tools report errors there).
     *
     * @return this result, for chaining
     */
    public ToolResult requireSuccess() {
        if (exit != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + exit + ": "
                    + (err.isBlank() ? out : err));
        }
        return this;
    }
}
