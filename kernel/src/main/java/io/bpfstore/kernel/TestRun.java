package io.bpfstore.kernel;

import java.util.Objects;

/**
 * Input of BPF_PROG_TEST_RUN.
 *
 * @param data        the packet (or other data) the program sees; XDP and tc need at least an Ethernet header
 * @param context     the context structure (e.g. {@code struct xdp_md}), empty for the default
 * @param repeat      how many times to run (the kernel reports the average duration); at least 1
 * @param outputSlack extra bytes of output buffer beyond the input size, for programs that grow packets
 */
public record TestRun(byte[] data, byte[] context, int repeat, int outputSlack) {

    /** Validates and copies. */
    public TestRun {
        data = Objects.requireNonNull(data, "data").clone();
        context = Objects.requireNonNull(context, "context").clone();
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, got " + repeat);
        }
        if (outputSlack < 0 || outputSlack > (1 << 20)) {
            throw new IllegalArgumentException("output slack " + outputSlack + " is not in 0..1 MiB");
        }
    }

    /** One run over {@code data} with the default context and 256 bytes of output slack. */
    public static TestRun of(byte[] data) {
        return new TestRun(data, new byte[0], 1, 256);
    }

    /** The data (a copy). */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The context (a copy). */
    @Override
    public byte[] context() {
        return context.clone();
    }

    /**
     * Output of BPF_PROG_TEST_RUN.
     *
     * @param returnValue   the program's return value (r0), e.g. an XDP action
     * @param durationNanos average run time
     * @param data          the data after the run
     * @param context       the context after the run (empty if none was given)
     */
    public record Result(int returnValue, int durationNanos, byte[] data, byte[] context) {

        /** Copies the arrays. */
        public Result {
            data = data.clone();
            context = context.clone();
        }

        /** The data after the run (a copy). */
        @Override
        public byte[] data() {
            return data.clone();
        }

        /** The context after the run (a copy). */
        @Override
        public byte[] context() {
            return context.clone();
        }
    }
}
