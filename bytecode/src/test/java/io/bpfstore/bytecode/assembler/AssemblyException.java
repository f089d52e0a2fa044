package io.bpfstore.bytecode.assembler;

import io.bpfstore.bytecode.MalformedObjectException;

/**
 * Assembly text that cannot be turned into instructions: an unknown mnemonic, a bad register, an immediate or
 * offset out of range, an undefined or duplicate label, a jump too far for its offset field, or a test file
 * that does not follow its format. {@link #where()} names the source (a file name or a test case), and the
 * message gives line and column (both counted from 1) so an editor can jump to the fault.
 */
public class AssemblyException extends MalformedObjectException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String fault;

    /**
     * @param source  name of the assembly source, e.g. a file name
     * @param line    line of the fault, from 1
     * @param column  column of the fault, from 1
     * @param problem what is wrong, in plain words
     */
    public AssemblyException(String source, int line, int column, String problem) {
        super(source, NO_OFFSET, "line " + line + ", column " + column + ": " + problem);
        this.line = line;
        this.column = column;
        this.fault = problem;
    }

    /** What is wrong, without source, line and column. */
    @Override
    public String problem() {
        return fault;
    }

    /** Line of the fault, from 1. */
    public int line() {
        return line;
    }

    /** Column of the fault, from 1. */
    public int column() {
        return column;
    }
}
