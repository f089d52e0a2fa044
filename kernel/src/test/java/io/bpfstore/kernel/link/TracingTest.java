package io.bpfstore.kernel.link;

import static io.bpfstore.kernel.testing.TestCode.returning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.LinkTarget;
import io.bpfstore.kernel.LinkType;
import io.bpfstore.kernel.ProgramSpec;
import io.bpfstore.kernel.RunStatistics;
import io.bpfstore.kernel.sys.Struct;
import io.bpfstore.kernel.testing.Leftovers;
import io.bpfstore.kernel.testing.LoadedObject;
import io.bpfstore.kernel.testing.Mounts;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.RingBufferReader;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tracing hooks, each for the duration of one test only: a tracepoint program that reports an exec this
 * test makes through its ring buffer, raw tracepoint and perf event programs whose run counts (BPF_ENABLE_STATS)
 * grow while attached and stop when detached, and the kprobe attach that this kernel (CONFIG_KPROBES off)
 * must refuse with one clear message.
 */
class TracingTest {
    @RegisterExtension
    static final Leftovers LEFT = new Leftovers();

    private static long exec(String... command) throws Exception {
        Process process = new ProcessBuilder(command).start();
        assertEquals(0, process.waitFor(), String.join(" ", command));
        return process.pid();
    }

    @Test
    void tracepointReportsAnExecThroughItsRingBuffer() throws Throwable {
        try (LoadedObject object = LoadedObject.load("exec_trace")) {
            LEFT.programs(object.programIds());
            BpfProgram program = object.program("trace_exec");
            if (Tracefs.find().isEmpty()) { // as on the development machines: the message says what is missing
                UnsupportedHookException none = assertThrows(UnsupportedHookException.class,
                        () -> Tracepoint.attach(program, "sched", "sched_process_exec"));
                assertTrue(none.getMessage().contains("tracefs is not mounted"), none.getMessage());
            }
            BpfException missing = assertThrows(BpfException.class,
                    () -> Tracepoint.attach(program, "sched", "sched_process_exec", Path.of("/nonexistent")));
            assertTrue(missing.getMessage().contains("no tracepoint sched/sched_process_exec in /nonexistent"),
                    missing.getMessage());
            Mounts tracefs = Mounts.mount("tracefs", "tracefs");
            LEFT.path(tracefs.path());
            try {
                tracepointEvents(object, program, tracefs.path());
            } finally {
                tracefs.close();
            }
        }
    }

    private static void tracepointEvents(LoadedObject object, BpfProgram program, Path tracefs) throws Throwable {
        long pid;
        try (BpfLink link = Tracepoint.attach(program, "sched", "sched_process_exec", tracefs);
             RingBufferReader ring = RingBufferReader.open(object.map("exec_events"))) {
            LEFT.link(link.id());
            assertEquals(LinkType.PERF_EVENT, link.info().type().orElseThrow());
            JsonNode theirs = Oracles.bpftool("link", "show", "id", Integer.toString(link.id()));
            assertEquals(program.id(), theirs.get("prog_id").asInt());
            assertEquals("perf_event", theirs.get("type").asText());
            ring.poll();
            pid = exec("/bin/true");
            List<String> seen = new ArrayList<>();
            boolean found = false;
            for (io.bpfstore.kernel.MapRecord r : ring.poll()) {
                byte[] record = r.data();
                ByteBuffer event = ByteBuffer.wrap(record).order(ByteOrder.nativeOrder());
                int eventPid = event.getInt(8);
                String comm = Struct.cString(MemorySegment.ofArray(java.util.Arrays.copyOfRange(record, 24, 40)));
                String file = Struct.cString(MemorySegment.ofArray(java.util.Arrays.copyOfRange(record, 40, 296)));
                seen.add(eventPid + " " + comm + " " + file);
                found |= eventPid == pid && file.equals("/bin/true") && comm.equals("true");
            }
            assertTrue(found, "no exec event for pid " + pid + " /bin/true among " + seen);
        }
        try (RingBufferReader ring = RingBufferReader.open(object.map("exec_events"))) {
            // Other processes on the machine may have exec'd before the link closed: drop those records first.
            ring.poll();
            exec("/bin/true");
            assertEquals(List.of(), ring.poll().stream().map(r -> r.data().length).toList(), "events after the link closed");
        }
    }

    @Test
    void rawTracepointRunsWhileAttached() throws Exception {
        try (RunStatistics stats = RunStatistics.enable();
             BpfProgram program = BpfProgram.load(ProgramSpec.of("bst_raw_tp", ProgramType.RAW_TRACEPOINT,
                     returning(0)))) {
            LEFT.programs(List.of(program.id()));
            BpfException unknown = assertThrows(BpfException.class, () -> RawTracepoint.attach(program, "bst_no_such_tp"));
            assertEquals("ENOENT", unknown.errno().orElseThrow().name(), unknown.getMessage());
            assertTrue(unknown.getMessage().contains("the kernel has no tracepoint named \"bst_no_such_tp\""), unknown.getMessage());
            long before = program.info().runCount();
            try (BpfLink link = RawTracepoint.attach(program, "sched_process_exec")) {
                LEFT.link(link.id());
                assertEquals(new LinkTarget.RawTracepoint("sched_process_exec"), link.info().target());
                assertEquals("sched_process_exec",
                        Oracles.bpftool("link", "show", "id", Integer.toString(link.id())).get("tp_name").asText());
                for (int i = 0; i < 3; i++) {
                    exec("/bin/true");
                }
                assertTrue(program.info().runCount() >= before + 3, "run_cnt " + program.info().runCount() + " after 3 execs");
            }
            long after = program.info().runCount();
            exec("/bin/true");
            assertEquals(after, program.info().runCount(), "no runs once detached");
        }
    }

    @Test
    void perfEventProgramRunsOnTheSamplingTimer() throws Exception {
        try (RunStatistics stats = RunStatistics.enable();
             BpfProgram program = BpfProgram.load(ProgramSpec.of("bst_perf", ProgramType.PERF_EVENT, returning(0)))) {
            LEFT.programs(List.of(program.id()));
            try (BpfLink link = PerfEvent.attach(program, PerfEventOptions.cpuClock(0, 1000))) {
                LEFT.link(link.id());
                assertInstanceOf(LinkTarget.PerfEvent.class, link.info().target());
                long deadline = System.nanoTime() + 2_000_000_000L;
                while (program.info().runCount() < 10 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(program.info().runCount() >= 10, "run_cnt " + program.info().runCount() + " after up to 2 s at 1 kHz");
            }
            long after = program.info().runCount();
            Thread.sleep(100);
            assertEquals(after, program.info().runCount(), "no samples once the link is closed");
        }
    }

    @Test
    void kprobeAttachSaysWhetherTheKernelHasKprobes() throws Exception {
        try (BpfProgram program = BpfProgram.load(ProgramSpec.of("bst_kprobe", ProgramType.KPROBE, returning(0)))) {
            LEFT.programs(List.of(program.id()));
            if (Files.exists(Path.of("/sys/bus/event_source/devices/kprobe/type"))) {
                try (BpfLink link = Kprobe.attach(program, KprobeOptions.entry("tcp_sendmsg"))) {
                    LEFT.link(link.id());
                    assertEquals(LinkType.PERF_EVENT, link.info().type().orElseThrow());
                }
                return;
            }
            // This kernel (CONFIG_KPROBES off): one clear message, for entry and return probes alike.
            for (KprobeOptions options : List.of(KprobeOptions.entry("tcp_sendmsg"), KprobeOptions.ret("tcp_sendmsg"))) {
                UnsupportedHookException e = assertThrows(UnsupportedHookException.class, () -> Kprobe.attach(program, options));
                assertEquals("attach " + (options.retprobe() ? "kretprobe " : "kprobe ") + program.describe()
                        + " to tcp_sendmsg: EOPNOTSUPP — this kernel has no kprobe support: there is no kprobe PMU"
                        + " (/sys/bus/event_source/devices/kprobe) and no kprobe_events in tracefs; the kernel was built"
                        + " without CONFIG_KPROBES", e.getMessage());
            }
            assertFalse(Oracles.run(List.of("bpftool", "link", "show")).contains("bst_kprobe"));
        }
    }
}
