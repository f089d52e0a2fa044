package io.bpfstore.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.testing.CpuPin;
import io.bpfstore.kernel.testing.Leftovers;
import io.bpfstore.testsupport.BpfClang;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record readers against the kernel: src/test/c/records/frame_records.c writes, for every frame
 * BPF_PROG_TEST_RUN feeds it, one record (length, running number, first 16 bytes) with {@code bpf_perf_event_output}
 * to a perf event array and with {@code bpf_ringbuf_output} to a ring buffer. The oracle is what the test fed: each
 * record read must be the frame's length and bytes, in order, and every run must be either read or counted lost.
 */
class PerfEventArrayReaderTest {
    @RegisterExtension
    static final Leftovers LEFT = new Leftovers();
    /** sizeof(struct frame_record). */
    private static final int RECORD = 24;

    @TempDir
    static Path dir;

    private static BpfObject object() throws IOException {
        Path object = dir.resolve("frame_records.o");
        if (!Files.exists(object)) {
            BpfClang.compile(BpfClang.DEFAULT, Path.of("src/test/c/records/frame_records.c"), object, "-Wall");
        }
        return BpfObject.read(object);
    }

    private static byte[] frame(int length, int fill) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) (fill + i);
        }
        return f;
    }

    /** The record the program writes for {@code frame} as its {@code seq}-th run. */
    private static byte[] expected(byte[] frame, int seq) {
        ByteBuffer b = ByteBuffer.allocate(RECORD).order(ByteOrder.nativeOrder()).putInt(frame.length).putInt(seq);
        return b.put(frame.length >= 16 ? Arrays.copyOf(frame, 16) : new byte[16]).array(); // shorter: not copied
    }

    @Test
    void recordsAreTheFramesFedInOrderThroughBothReaders() throws Exception {
        long fdsBefore = openFds();
        try (LoadedObject loaded = LEFT.load(object());
             MapRecordPoller poller = new MapRecordPoller(List.of(MapRecordReader.open(loaded.map("frame_perf")),
                     MapRecordReader.open(loaded.map("frame_ring"))))) {
            PerfEventArrayReader perf = (PerfEventArrayReader) poller.readers().getFirst();
            assertTrue(perf.cpus().length >= 1 && perf.cpus().length == PossibleCpus.online().length,
                    "one event per online CPU: " + Arrays.toString(perf.cpus()));
            assertEquals(perf.cpus().length, perf.wakeupFds().length);
            List<byte[]> fed = List.of(frame(60, 1), frame(64, 40), frame(1500, 7), frame(14, 99));
            for (byte[] f : fed) {
                assertEquals(2, loaded.program("frame_records").testRun(TestRun.of(f)).returnValue(), "XDP_PASS");
            }
            List<MapRecord> read = drain(poller, 2 * fed.size());
            List<MapRecord> perfRecords = read.stream().filter(r -> r.map().equals("frame_perf")).toList();
            List<MapRecord> ringRecords = read.stream().filter(r -> r.map().equals("frame_ring")).toList();
            assertEquals(fed.size(), perfRecords.size(), "one perf sample per run");
            assertEquals(fed.size(), ringRecords.size(), "one ring buffer record per run");
            for (int i = 0; i < fed.size(); i++) {
                MapRecord p = perfRecords.get(i);
                // the kernel pads raw sample data so that its u32 size and the data end 8-aligned
                assertEquals(RECORD + 4, p.data().length, "raw size with the kernel's padding");
                assertArrayEquals(expected(fed.get(i), i), Arrays.copyOf(p.data(), RECORD), "perf sample " + i);
                int cpu = p.cpu();
                assertTrue(Arrays.stream(perf.cpus()).anyMatch(c -> c == cpu), "from one of the reader's CPUs");
                assertArrayEquals(expected(fed.get(i), i), ringRecords.get(i).data(), "ring buffer record " + i);
                assertEquals(-1, ringRecords.get(i).cpu());
            }
            assertEquals(List.of(), poller.next(Duration.ZERO), "nothing more");
        }
        assertEquals(fdsBefore, openFds(), "the events, mappings' maps and epoll are closed");
    }

    @Test
    void anIdleWaitWakesWhenTheProgramWrites() throws Exception {
        try (LoadedObject loaded = LEFT.load(object());
             MapRecordPoller poller = new MapRecordPoller(List.of(MapRecordReader.open(loaded.map("frame_perf"))))) {
            CompletableFuture<List<MapRecord>> waiting = CompletableFuture.supplyAsync(
                    () -> poller.next(Duration.ofSeconds(60)));
            Thread.sleep(300);
            assertFalse(waiting.isDone(), "nothing written yet: still waiting");
            loaded.program("frame_records").testRun(TestRun.of(frame(42, 3)));
            List<MapRecord> woke = waiting.get(50, TimeUnit.SECONDS);
            assertEquals(1, woke.size(), "the wait returned with the record, not at its timeout: " + woke);
            assertArrayEquals(expected(frame(42, 3), 0), Arrays.copyOf(woke.getFirst().data(), RECORD));
        }
    }

    @Test
    void aFullBufferReportsWhatItLost() throws Exception {
        int runs = 5000; // 40 bytes a sample, 32 KiB a CPU: far more than fit
        int cpu = PossibleCpus.online()[0];
        // a test run runs on the caller's current CPU and the kernel reports a loss with the next sample that
        // reaches the full CPU's ring: pinned, every run below writes to the one ring that filled
        try (CpuPin pinned = CpuPin.to(cpu);
             LoadedObject loaded = LEFT.load(object());
             PerfEventArrayReader perf = PerfEventArrayReader.open(loaded.map("frame_perf"))) {
            BpfProgram program = loaded.program("frame_records");
            program.testRun(new TestRun(frame(60, 5), new byte[0], runs, 0));
            List<MapRecord> first = perf.poll();
            long samples = first.stream().filter(r -> !r.isLoss()).count();
            assertTrue(samples > 0 && samples < runs, "the buffer filled: " + samples + " of " + runs);
            assertEquals(0, first.stream().mapToLong(MapRecord::lost).sum(), "no room was left to report the loss");
            assertTrue(first.stream().allMatch(r -> r.cpu() == cpu), "all samples from the pinned CPU " + cpu);
            program.testRun(TestRun.of(frame(60, 5)));
            List<MapRecord> next = perf.poll();
            assertEquals(2, next.size(), "the loss, then the sample that reported it: " + next);
            assertTrue(next.getFirst().isLoss(), "the loss record comes first");
            long lost = next.getFirst().lost();
            assertEquals(runs + 1, samples + lost + 1, "every run was read or counted lost (" + samples + " read, "
                    + lost + " lost, then one more read)");
            // samples read are the first runs, in order: their running numbers are 0, 1, 2, ...
            for (int i = 0; i < samples; i++) {
                assertEquals(i, ByteBuffer.wrap(first.get(i).data()).order(ByteOrder.nativeOrder()).getInt(4));
            }
            assertEquals(runs, ByteBuffer.wrap(next.get(1).data()).order(ByteOrder.nativeOrder()).getInt(4),
                    "the sample after the loss is run number " + runs);
        }
    }

    @Test
    void closingTakesTheEventsOutOfTheMap() throws Exception {
        try (LoadedObject loaded = LEFT.load(object())) {
            try (PerfEventArrayReader perf = PerfEventArrayReader.open(loaded.map("frame_perf"))) {
                loaded.program("frame_records").testRun(TestRun.of(frame(60, 1)));
                assertEquals(1, perf.poll().size());
            }
            assertEquals(0, perfResult(loaded), "bpf_perf_event_output succeeded while the reader was open");
            // the program's own view: with the reader's entries gone, the helper finds no event at its CPU
            loaded.program("frame_records").testRun(TestRun.of(frame(60, 1)));
            assertEquals(-2, perfResult(loaded), "-ENOENT from bpf_perf_event_output once the reader closed");
            try (PerfEventArrayReader again = PerfEventArrayReader.open(loaded.map("frame_perf"))) {
                loaded.program("frame_records").testRun(TestRun.of(frame(61, 1)));
                List<MapRecord> read = again.poll();
                assertEquals(1, read.size(), "a new reader gets the new record only: " + read);
                assertEquals(61, ByteBuffer.wrap(read.getFirst().data()).order(ByteOrder.nativeOrder()).getInt(0));
            }
        }
    }

    /** {@code state.perf_result} from the program's .bss. */
    private static int perfResult(LoadedObject loaded) {
        String bss = loaded.maps().keySet().stream().filter(n -> n.endsWith(".bss")).findFirst().orElseThrow();
        byte[] value = loaded.map(bss).lookup(new byte[4]).orElseThrow();
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt(4);
    }

    private static List<MapRecord> drain(MapRecordPoller poller, int want) {
        List<MapRecord> out = new ArrayList<>();
        for (int i = 0; i < 50 && out.size() < want; i++) {
            out.addAll(poller.next(Duration.ofMillis(200)));
        }
        return out;
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
