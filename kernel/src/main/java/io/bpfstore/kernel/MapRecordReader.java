package io.bpfstore.kernel;

import java.util.List;

/**
 * The consumer side of a map programs write records into: a ring buffer ({@link RingBufferReader}) or a perf event
 * array ({@link PerfEventArrayReader}). {@link #poll} never blocks; {@link MapRecordPoller} waits for several readers
 * at once (epoll on their {@link #wakeupFds}).
 */
public sealed interface MapRecordReader extends AutoCloseable permits RingBufferReader, PerfEventArrayReader {
    /** Whether a map of this type can be read as records ({@code BPF_MAP_TYPE_RINGBUF}, {@code _PERF_EVENT_ARRAY}). */
    static boolean streams(MapInfo info) {
        return info.typeNumber() == RingBufferReader.TYPE || info.typeNumber() == PerfEventArrayReader.TYPE;
    }

    /**
     * Opens the reader that fits {@code map}'s type; it holds its own references, so {@code map} may be closed.
     *
     * @throws BpfException when the map streams no records or the kernel refuses a step
     */
    static MapRecordReader open(BpfMap map) {
        return map.info().typeNumber() == PerfEventArrayReader.TYPE ? PerfEventArrayReader.open(map)
                : RingBufferReader.open(map);
    }

    /** The map's name. */
    String name();

    /** Everything written since the last poll, in order per buffer (each a copy); empty when there is nothing. */
    List<MapRecord> poll();

    /** Descriptors that poll readable ({@code EPOLLIN}) when records may be waiting. */
    int[] wakeupFds();

    /** Unmaps and closes what the reader opened. */
    @Override
    void close();
}
