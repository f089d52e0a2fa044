package io.bpfstore.vm.capture;

/**
 * One packet of a capture.
 *
 * @param timestampNanos capture time, nanoseconds since the epoch
 * @param data           the captured bytes
 * @param originalLength the length on the wire (more than {@code data.length} when the capture was truncated)
 */
public record CapturedPacket(long timestampNanos, byte[] data, int originalLength) {
    /** Copies the data. */
    public CapturedPacket {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }
}
