package io.bpfstore.bytecode.btf;

import io.bpfstore.bytecode.MalformedObjectException;

/**
 * BTF or BTF.ext input that cannot be accepted: names the blob ({@link #BTF} or {@link #BTF_EXT}) and the byte
 * offset of the fault, counted from the first byte of that blob (its header), as a hex dump of the ELF section
 * shows it.
 */
public final class MalformedBtfException extends MalformedObjectException {
    private static final long serialVersionUID = 1L;

    /** Name of the type-information blob in errors; also its ELF section name. */
    public static final String BTF = ".BTF";

    /** Name of the line/function/CO-RE information blob in errors; also its ELF section name. */
    public static final String BTF_EXT = ".BTF.ext";

    /**
     * @param where   {@link #BTF} or {@link #BTF_EXT}
     * @param offset  byte offset of the fault from the start of the blob
     * @param problem what is wrong, in plain words
     */
    public MalformedBtfException(String where, long offset, String problem) {
        super(where, offset, problem);
    }

    /** Re-types a generic bounds error from {@link io.bpfstore.bytecode.ByteReader} without losing its location. */
    static MalformedBtfException of(MalformedObjectException e) {
        return e instanceof MalformedBtfException btf
                ? btf
                : new MalformedBtfException(e.where(), e.offset(), e.problem());
    }
}
