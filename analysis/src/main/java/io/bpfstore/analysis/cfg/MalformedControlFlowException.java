package io.bpfstore.analysis.cfg;

import io.bpfstore.bytecode.MalformedObjectException;

/**
 * A jump leaves its function or lands inside an instruction, or a call names no function of the program: the
 * code cannot be given a control-flow graph. Names the function's section and the instruction's byte offset.
 */
public final class MalformedControlFlowException extends MalformedObjectException {
    private static final long serialVersionUID = 1L;

    /**
     * @param where   the function and its section
     * @param offset  byte offset of the instruction in its section
     * @param problem what is wrong
     */
    public MalformedControlFlowException(String where, long offset, String problem) {
        super(where, offset, problem);
    }
}
