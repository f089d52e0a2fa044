package io.bpfstore.kernel;

import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.Libc;
import io.bpfstore.kernel.sys.PerfEventAttr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The consumer side of a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}, as libbpf's {@code perf_buffer} reads it: one
 * software event per online CPU ({@code PERF_COUNT_SW_BPF_OUTPUT}, {@code PERF_SAMPLE_RAW}, a wake-up after every
 * sample), each with its ring mapped (one control page and 2^n data pages) and its fd put into the map at the CPU's
 * index, so {@code bpf_perf_event_output(ctx, &map, BPF_F_CURRENT_CPU, ...)} writes there. Each read takes the
 * {@code PERF_RECORD_SAMPLE} records' raw data and the {@code PERF_RECORD_LOST} counts, then moves
 * {@code data_tail} on.
 *
 * <p>The map entries are set through the reader's own fd of the map, and the kernel removes the entries set through
 * a map file when that file is released: closing the reader takes exactly its entries out, and leaves alone any
 * another reader set since. One reader per map at a time: a second one takes the CPUs over.
 */
public final class PerfEventArrayReader implements MapRecordReader {
    /** {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}'s number (the map type this reader reads). */
    public static final int TYPE = MapType.PERF_EVENT_ARRAY.number();
    /** Data pages per CPU (a power of two): 32 KiB with 4 KiB pages, as libbpf users commonly choose. */
    static final int DATA_PAGES = 8;
    private static final int RECORD_LOST = 2;
    private static final int RECORD_SAMPLE = 9;
    private static final long DATA_HEAD = 1024;
    private static final long DATA_TAIL = 1032;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final String name;
    private final BpfMap map;
    private final List<Cpu> cpus;

    /** One CPU's event: its fd and its mapped ring. */
    private record Cpu(int cpu, Fd event, MemorySegment ring) {
    }

    private PerfEventArrayReader(String name, BpfMap map, List<Cpu> cpus) {
        this.name = name;
        this.map = map;
        this.cpus = cpus;
    }

    /**
     * Opens, maps and places one perf event per online CPU below the map's {@code max_entries}.
     *
     * @throws BpfException when the map is no perf event array or the kernel refuses a step (all undone)
     */
    public static PerfEventArrayReader open(BpfMap map) {
        MapInfo info = map.info();
        if (info.typeNumber() != TYPE) {
            throw new BpfException("perf event array " + info.name(), Errno.EINVAL.number(), "map " + info.id()
                    + " is a " + info.typeName() + ", not a perf_event_array", "");
        }
        long page = Libc.pageSize();
        BpfMap own = BpfMap.fromId(info.id());
        List<Cpu> cpus = new ArrayList<>();
        PerfEventArrayReader reader = new PerfEventArrayReader(info.name(), own, cpus);
        try (Arena arena = Arena.ofConfined()) {
            PerfEventAttr attr = new PerfEventAttr(arena).type(PerfEventAttr.TYPE_SOFTWARE)
                    .config(PerfEventAttr.COUNT_SW_BPF_OUTPUT).sampleType(PerfEventAttr.SAMPLE_RAW).samplePeriod(1)
                    .wakeupEvents(1);
            for (int cpu : PossibleCpus.online()) {
                if (Integer.compareUnsigned(cpu, info.maxEntries()) >= 0) {
                    continue; // bpf_perf_event_output on that CPU gets E2BIG: nothing to read there
                }
                String what = "perf event array " + info.name() + " on cpu " + cpu;
                Fd event = PerfEventFd.open(attr, -1, cpu, what);
                MemorySegment ring;
                try {
                    ring = MappedPages.map(page * (1 + DATA_PAGES), Libc.PROT_READ | Libc.PROT_WRITE, event.value(),
                            0, what);
                } catch (RuntimeException e) {
                    event.close();
                    throw e;
                }
                cpus.add(new Cpu(cpu, event, ring));
                own.update(u32(cpu), u32(event.value()), UpdateMode.ANY);
            }
            return reader;
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    @Override
    public List<MapRecord> poll() {
        List<MapRecord> out = new ArrayList<>();
        long page = cpus.isEmpty() ? 0 : cpus.getFirst().ring().byteSize() / (1 + DATA_PAGES);
        for (Cpu c : cpus) {
            MemorySegment ring = c.ring();
            long size = ring.byteSize() - page;
            long head = (long) LONG.getAcquire(ring, DATA_HEAD);
            long tail = (long) LONG.get(ring, DATA_TAIL);
            while (tail < head) {
                long at = page + (tail & (size - 1));
                // records are 8-aligned and a multiple of 8 long: the 8-byte header never wraps
                int type = ring.get(ValueLayout.JAVA_INT_UNALIGNED, at);
                int length = Short.toUnsignedInt(ring.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + 6));
                if (length < 8) {
                    break; // cannot happen with a sane kernel; stop rather than spin
                }
                ByteBuffer record = ByteBuffer.wrap(copy(ring, page, size, tail, length)).order(ByteOrder.nativeOrder());
                if (type == RECORD_SAMPLE && length >= 12) {
                    int raw = Math.min(record.getInt(8), length - 12);
                    byte[] data = new byte[raw];
                    record.get(12, data);
                    out.add(new MapRecord(name, c.cpu(), data, 0));
                } else if (type == RECORD_LOST && length >= 24) {
                    out.add(new MapRecord(name, c.cpu(), new byte[0], record.getLong(16)));
                }
                tail += length;
            }
            LONG.setRelease(ring, DATA_TAIL, tail);
        }
        return out;
    }

    /** {@code length} bytes of the ring from position {@code pos}, joining the two ends when the record wraps. */
    private static byte[] copy(MemorySegment ring, long page, long size, long pos, int length) {
        byte[] out = new byte[length];
        long at = pos & (size - 1);
        int first = (int) Math.min(length, size - at);
        MemorySegment.copy(ring, ValueLayout.JAVA_BYTE, page + at, out, 0, first);
        MemorySegment.copy(ring, ValueLayout.JAVA_BYTE, page, out, first, length - first);
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    /** The CPUs the reader has an event on. */
    public int[] cpus() {
        return cpus.stream().mapToInt(Cpu::cpu).toArray();
    }

    @Override
    public int[] wakeupFds() {
        return cpus.stream().mapToInt(c -> c.event().value()).toArray();
    }

    @Override
    public void close() {
        map.close(); // releases this file's entries in the map: the events leave it
        for (Cpu c : cpus) {
            Libc.munmap(c.ring());
            c.event().close();
        }
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }
}
