package io.bpfstore.kernel.testing;

import io.bpfstore.bytecode.asm.CodeBuilder;
import io.bpfstore.bytecode.asm.Register;

/** The smallest programs the kernel tests load, written with {@link CodeBuilder}. */
public final class TestCode {
    private TestCode() {
    }

    /** {@code r0 = value; exit}: a program that returns {@code value} (an XDP action, a tc verdict ...). */
    public static byte[] returning(int value) {
        return new CodeBuilder().mov64(Register.R0, value).exit().bytes();
    }

    /** A lone {@code exit}: r0 is never written, so the verifier refuses it ("R0 !read_ok"). */
    public static byte[] exitWithoutResult() {
        return new CodeBuilder().exit().bytes();
    }
}
