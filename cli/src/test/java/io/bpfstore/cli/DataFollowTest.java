package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.agent.client.AgentClient;
import io.bpfstore.testsupport.BpfClang;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@code bpfstore data NAME --follow -o json} streams ring buffer and perf event array records, decoded as the struct
 * the object names: exec_trace's records for execs the test runs (the process id the test started is the oracle for
 * the record's pid, with its comm and file name), and src/test/c/frame_events.c's records for pings between the
 * test's namespaces (addresses, frame length, protocol and TTL of an ICMP echo request; the receiving interface's MAC
 * as ip(8) reports it), in this process and through the agent.
 */
class DataFollowTest extends InstallHostTest {
    /** An ICMP echo request of ping's default 56 bytes, with its Ethernet and IPv4 headers. */
    private static final int PING_FRAME = 14 + 20 + 8 + 56;

    @Test
    void followStreamsRingBufferRecordsDecodedWithBtf() throws Exception {
        Path trace = InstallHost.layout("exec_trace", "1.0.0", work);
        try (InstallHost h = InstallHost.create("d", work);
             InstallHost.Tracefs _ = InstallHost.tracefs("data-tracefs")) {
            h.ok("install", trace.toString());
            try (Follower data = Follower.start(h.javaCommand("data", "exec-trace", "--follow", "-o", "json"),
                    Map.of())) {
                List<Long> pids = new ArrayList<>();
                for (int attempt = 0; attempt < 60 && !seen(data.records, pids); attempt++) {
                    // the follower may still be starting: ping until it reports one of the pings
                    Process ping = new ProcessBuilder("ip", "netns", "exec", h.nsA, "ping", "-c", "1", "-W", "1",
                            "10.78.0.2").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    pids.add(ping.pid());
                    assertTrue(ping.waitFor(10, TimeUnit.SECONDS));
                    assertEquals(0, ping.exitValue(), "ping between the namespaces");
                    Thread.sleep(500);
                }
                assertTrue(seen(data.records, pids), "a record for one of the pings " + pids + ": " + data.records);
                // one process id runs jspawnhelper, ip, then ping (each an exec): the last is the ping's record
                JsonNode r = data.records.stream().filter(x -> isPing(x, pids)).findFirst().orElseThrow();
                assertEquals("exec_events", r.path("map").asText());
                assertEquals(296, r.path("size").asInt(), "struct exec_event");
                JsonNode event = r.path("record");
                assertTrue(event.path("filename").asText().endsWith("/ping"), r.toString());
                assertEquals(0, event.path("uid").asInt(), "uid: run as root");
                assertTrue(event.path("timestamp_ns").asLong() > 0, r.toString());
                assertFalse(data.records.stream().anyMatch(x -> x.has("note")), "every record decoded");
            }
            h.ok("uninstall", "exec-trace");
            assertEquals(List.of(), h.pinFiles());
        }
    }

    @Test
    void followStreamsPerfEventRecordsOfRealTraffic() throws Exception {
        Path layout = frameEvents();
        try (InstallHost h = InstallHost.create("e", work)) {
            h.ok("install", layout.toString(), "--iface", h.ifB, "--netns", h.nsB);
            try (Follower data = Follower.start(h.javaCommand("data", "frame-events", "--follow", "-o", "json"),
                    Map.of())) {
                checkFrames(h, data);
            }
            Cli.Result text = h.ok("data", "frame-events");
            assertEquals("", text.out(), "ring buffers and perf event arrays have no entries to list");
            h.ok("uninstall", "frame-events");
            assertEquals(List.of(), h.pinFiles());
        }
    }

    @Test
    void followGoesThroughTheAgentWhenItRuns() throws Exception {
        Path layout = frameEvents();
        try (InstallHost h = InstallHost.create("g", work)) {
            h.ok("install", layout.toString(), "--iface", h.ifB, "--netns", h.nsB);
            try (AgentHost a = new AgentHost(h, work)) {
                // no --state-dir or --bpffs: in-process, data would look in /var/lib/bpfstore and not find it
                List<String> command = new ArrayList<>(h.javaCommand("data", "frame-events", "--follow", "-o", "json"));
                int at = command.indexOf("--state-dir");
                command.subList(at, at + 4).clear();
                try (Follower data = Follower.start(command, Map.of(AgentClient.SOCKET_ENV, a.socket.toString()))) {
                    checkFrames(h, data);
                    assertTrue(perfEvents() > 0, "the agent (this JVM) holds the perf events");
                }
                // the client left: the agent finds out at its next keep-alive and closes its readers
                for (int i = 0; i < 100 && perfEvents() > 0; i++) {
                    Thread.sleep(100);
                }
                assertEquals(0, perfEvents(), "the agent closed the perf events of the follower that left");
                AgentHost.Run bad = a.cli(List.of(), "data", "frame-events", "--map", "nope");
                assertEquals(1, bad.exit());
                assertEquals("bpfstore data: frame-events has no map nope (its maps: frame_events, frame_macs)",
                        bad.err().strip());
                Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                AgentHost.Run nobody = AgentHost.exec(List.of("setpriv", "--reuid", "65534", "--regid", "65534",
                        "--clear-groups", "curl", "-sS", "--unix-socket", a.socket.toString(), "-w", "\n%{http_code}",
                        "http://localhost/v1/installations/frame-events/data"), Map.of());
                assertTrue(nobody.out().endsWith("403"), nobody.out());
                assertTrue(nobody.out().contains("may not read installation data"), nobody.out());
            }
            h.ok("uninstall", "frame-events");
        }
    }

    /** Pings from A to B until the follower shows an echo request's perf record; checks it and the ring's records. */
    private static void checkFrames(InstallHost h, Follower data) throws Exception {
        long from = be32("10.78.0.1");
        long to = be32("10.78.0.2");
        Predicate<JsonNode> echo = r -> r.path("map").asText().equals("frame_events")
                && r.path("record").path("saddr").asLong() == from && r.path("record").path("protocol").asInt() == 1;
        for (int attempt = 0; attempt < 40 && data.records.stream().noneMatch(echo); attempt++) {
            h.ping(1); // the follower may still be starting
            Thread.sleep(300);
        }
        JsonNode r = data.records.stream().filter(echo).findFirst().orElseThrow(
                () -> new AssertionError("no echo request record: " + data.records));
        JsonNode event = r.path("record");
        assertEquals(to, event.path("daddr").asLong(), r.toString());
        assertEquals(PING_FRAME, event.path("len").asInt(), r.toString());
        assertEquals(64, event.path("ttl").asInt(), "ping's TTL, not forwarded: " + r);
        assertEquals(12, r.path("size").asInt(), "struct frame_event (its u32 size and 12 bytes end 8-aligned: no padding)");
        assertTrue(r.has("cpu"), r.toString());
        assertFalse(r.has("note"), r.toString());

        // the ring buffer's 6-byte records have no struct: hex, with a note on the first
        String mac = JSON.readTree(Cli.tool("ip", "-n", h.nsB, "-j", "link", "show", h.ifB)).get(0)
                .path("address").asText().replace(":", "");
        List<JsonNode> macs = data.records.stream().filter(x -> x.path("map").asText().equals("frame_macs")).toList();
        assertTrue(macs.stream().anyMatch(x -> x.path("record").asText().equals("0x" + mac)),
                "a frame to " + mac + ": " + macs);
        assertTrue(macs.getFirst().path("note").asText().contains("no single struct of 6 bytes"), macs.getFirst().toString());
        assertEquals(1, macs.stream().filter(x -> x.has("note")).count(), "the note comes once");
    }

    /** src/test/c/frame_events.c compiled and packaged. */
    private Path frameEvents() throws IOException {
        Path object = BpfClang.compile(BpfClang.DEFAULT, Path.of("src/test/c/frame_events.c"),
                work.resolve("frame_events.o"), "-Wall");
        Path yaml = work.resolve("frame_events.bpfstore.yaml");
        Files.writeString(yaml, """
                name: frame-events
                namespace: tests
                version: 1.0.0
                license: GPL-2.0-only
                permissions: [inspects-interface-packets, exports-data]
                object: frame_events.o
                """);
        return InstallHost.layout(object, yaml, "1.0.0", work);
    }

    /** Perf event fds open in this JVM (where the test's agent runs). */
    private static long perfEvents() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals("anon_inode:[perf_event]");
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }

    /** The IPv4 address as the BTF decodes a {@code __be32} on this little-endian host. */
    private static long be32(String address) throws IOException {
        return Integer.toUnsignedLong(ByteBuffer.wrap(InetAddress.getByName(address).getAddress())
                .order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    private static boolean seen(List<JsonNode> records, List<Long> pids) {
        return records.stream().anyMatch(r -> isPing(r, pids));
    }

    private static boolean isPing(JsonNode r, List<Long> pids) {
        return pids.contains(r.path("record").path("pid").asLong()) && r.path("record").path("comm").asText().equals("ping");
    }

    /** A {@code bpfstore data --follow} child process and the JSON lines it printed so far. */
    private record Follower(Process process, Thread reader, List<JsonNode> records) implements AutoCloseable {
        static Follower start(List<String> command, Map<String, String> env) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(env);
            Process p = pb.start();
            List<JsonNode> records = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        records.add(JSON.readTree(line));
                    }
                } catch (IOException e) {
                    // the process was stopped
                }
            });
            return new Follower(p, reader, records);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            reader.join(5000);
        }
    }
}
