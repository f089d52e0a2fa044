package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code bpfstore data NAME --follow -o json} streams ring buffer records: the exec_trace package's records for pings
 * the test runs between its namespaces ({@code ip netns exec} execs ping in the same process, so the process id the
 * test started is the oracle for the record's pid), its comm and file name.
 */
class DataFollowTest extends InstallHostTest {
    @Test
    void followStreamsRingBufferRecordsDecodedWithBtf() throws Exception {
        Path trace = InstallHost.layout("exec_trace", "1.0.0", work);
        try (InstallHost h = InstallHost.create("d", work);
             InstallHost.Tracefs _ = InstallHost.tracefs("data-tracefs")) {
            h.ok("install", trace.toString());
            Process data = new ProcessBuilder(h.javaCommand("data", "exec-trace", "--follow", "-o", "json"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<JsonNode> records = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(data.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        records.add(JSON.readTree(line));
                    }
                } catch (java.io.IOException e) {
                    // the process was stopped
                }
            });
            try {
                List<Long> pids = new ArrayList<>();
                for (int attempt = 0; attempt < 60 && !seen(records, pids); attempt++) {
                    // the follower may still be starting: ping until it reports one of the pings
                    Process ping = new ProcessBuilder("ip", "netns", "exec", h.nsA, "ping", "-c", "1", "-W", "1",
                            "10.78.0.2").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    pids.add(ping.pid());
                    assertTrue(ping.waitFor(10, TimeUnit.SECONDS));
                    assertEquals(0, ping.exitValue(), "ping between the namespaces");
                    Thread.sleep(500);
                }
                assertTrue(seen(records, pids), "a record for one of the pings " + pids + ": " + records);
                // one process id runs jspawnhelper, ip, then ping (each an exec): the last is the ping's record
                JsonNode r = records.stream().filter(x -> isPing(x, pids)).findFirst().orElseThrow();
                assertEquals("exec_events", r.path("map").asText());
                assertEquals(296, r.path("size").asInt(), "struct exec_event");
                byte[] event = record(r);
                assertEquals("ping", cString(event, 24, 16), r.toString());
                assertTrue(cString(event, 40, 256).endsWith("/ping"), r.toString());
                assertEquals(0, java.nio.ByteBuffer.wrap(event).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(16),
                        "uid: run as root");
            } finally {
                data.destroy();
                data.waitFor(30, TimeUnit.SECONDS);
                reader.join(5000);
            }
            h.ok("uninstall", "exec-trace");
            assertEquals(List.of(), h.pinFiles());
        }
    }

    private static boolean seen(List<JsonNode> records, List<Long> pids) {
        return records.stream().anyMatch(r -> isPing(r, pids));
    }

    private static boolean isPing(JsonNode r, List<Long> pids) {
        return pids.contains(pid(r)) && cString(record(r), 24, 16).equals("ping");
    }

    /**
     * The record's bytes. exec_trace's BTF has no {@code struct exec_event} (clang emits only the types reachable
     * from function signatures, globals and maps, and a ring buffer map has no value type), so {@code data} prints
     * it as hex; the test reads it with the C layout: u64 timestamp, u32 pid, old_pid, uid, gid, comm[16],
     * filename[256].
     */
    private static byte[] record(JsonNode r) {
        String text = r.path("record").asText();
        return text.startsWith("0x") ? java.util.HexFormat.of().parseHex(text.substring(2)) : new byte[0];
    }

    private static long pid(JsonNode r) {
        byte[] b = record(r);
        return b.length < 12 ? -1 : Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(b)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(8));
    }

    private static String cString(byte[] b, int at, int max) {
        int end = at;
        while (end < at + max && b[end] != 0) {
            end++;
        }
        return new String(b, at, end - at, StandardCharsets.US_ASCII);
    }
}
