package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.Reportable;

/**
 * A legacy tc filter is not what its record says: the filter at the recorded priority and handle runs another
 * program than the one expected (another tool replaced it, or deleted it and added its own there). bpfstore then
 * leaves that filter alone.
 */
public final class TcFilterChangedException extends IllegalStateException implements Reportable {
    private final int expectedProgramId;
    private final int foundProgramId;

    /**
     * @param what     the operation and the filter, in words
     * @param expected the program id the record expects
     * @param found    the program id the filter runs now
     */
    public TcFilterChangedException(String what, int expected, int found) {
        super(what + ": the filter runs program " + found + ", not program " + expected
                + " as recorded; another tool changed it, so it is left alone");
        this.expectedProgramId = expected;
        this.foundProgramId = found;
    }

    /** The program id the record expects. */
    public int expectedProgramId() {
        return expectedProgramId;
    }

    /** The program id the filter runs now. */
    public int foundProgramId() {
        return foundProgramId;
    }
}
