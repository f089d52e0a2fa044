package io.bpfstore.kernel;

/**
 * One thing a {@link MapRecordReader} read: a record a program submitted ({@code bpf_ringbuf_submit},
 * {@code bpf_perf_event_output}), or a notice that the kernel dropped {@code lost} records because the reader's
 * buffer was full (perf event arrays only: a ring buffer's producer sees the full buffer itself).
 *
 * @param map  the map's name
 * @param cpu  the CPU whose perf buffer held it; -1 for a ring buffer (one buffer for all CPUs)
 * @param data the record's bytes (for a perf sample the raw data, padded by the kernel to 4 bytes short of a multiple
 *             of 8); empty for a loss notice
 * @param lost records dropped (a loss notice), else 0
 */
public record MapRecord(String map, int cpu, byte[] data, long lost) {
    /** Whether this is a loss notice rather than a record. */
    public boolean isLoss() {
        return lost > 0;
    }
}
