package io.bpfstore.bytecode;

/**
 * Bad input in an eBPF object: names where (a section such as {@code .BTF}, or a structure such as
 * {@code ELF header}) and the byte offset inside it, so a user can find the fault with a hex dump.
 *
 * <p>Every decoder in this module throws this type (or a subclass) for input it cannot accept; none lets an
 * {@link IndexOutOfBoundsException} or similar escape.
 */
public class MalformedObjectException extends RuntimeException implements Reportable {
    private static final long serialVersionUID = 1L;

    /** Marks an offset as unknown. */
    public static final long NO_OFFSET = -1;

    private final String where;
    private final long offset;
    private final String problem;

    /**
     * @param where   the section or structure that holds the fault, e.g. {@code .BTF} or {@code ELF header}
     * @param offset  byte offset of the fault inside {@code where}, or {@link #NO_OFFSET}
     * @param problem what is wrong, in plain words
     */
    public MalformedObjectException(String where, long offset, String problem) {
        super(format(where, offset, problem));
        this.where = where;
        this.offset = offset;
        this.problem = problem;
    }

    private static String format(String where, long offset, String problem) {
        return offset == NO_OFFSET
                ? where + ": " + problem
                : where + " at byte " + offset + ": " + problem;
    }

    /** The section or structure that holds the fault. */
    public String where() {
        return where;
    }

    /** Byte offset of the fault inside {@link #where()}, or {@link #NO_OFFSET}. */
    public long offset() {
        return offset;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }

    /** The first line, marked as malformed object for the user. */
    @Override
    public String userMessage() {
        return "malformed object: " + Reportable.super.userMessage();
    }
}
