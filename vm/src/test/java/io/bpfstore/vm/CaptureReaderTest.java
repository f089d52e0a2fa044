package io.bpfstore.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.vm.capture.CaptureException;
import io.bpfstore.vm.capture.CaptureReader;
import io.bpfstore.vm.capture.CapturedPacket;
import io.bpfstore.vm.capture.PcapWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Captures written by text2pcap and editcap read back byte for byte; malformed ones are typed errors. */
class CaptureReaderTest {
    @TempDir
    Path dir;

    private static List<byte[]> packets() {
        Packets generator = new Packets(42);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            out.add(generator.next());
        }
        return out;
    }

    @Test
    void readsPcapngPcapAndNanosecondPcapAsWiresharkWritesThem() throws Exception {
        List<byte[]> expected = packets();
        for (String format : List.of("pcapng", "pcap", "nsecpcap")) {
            List<CapturedPacket> read = CaptureReader.read(Captures.write(dir, "c", expected, format, 1));
            assertEquals(expected.size(), read.size(), format);
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), read.get(i).data(), format + " packet " + i);
            }
        }
    }

    @Test
    void ourPcapReadsBackAndTsharkAgrees() throws Exception {
        List<byte[]> expected = packets();
        List<CapturedPacket> in = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            in.add(new CapturedPacket(1_700_000_000_123_456_789L + i, expected.get(i), expected.get(i).length));
        }
        Path out = dir.resolve("out.pcap");
        PcapWriter.write(out, in);
        List<CapturedPacket> back = CaptureReader.read(out);
        for (int i = 0; i < in.size(); i++) {
            assertArrayEquals(expected.get(i), back.get(i).data());
            assertEquals(in.get(i).timestampNanos(), back.get(i).timestampNanos());
        }
        String lengths = io.bpfstore.testsupport.ExternalTool.output("tshark", "-r", out.toString(), "-T", "fields",
                "-e", "frame.len");
        assertEquals(expected.stream().map(p -> String.valueOf(p.length)).toList(),
                Arrays.asList(lengths.strip().split("\\s+")), "tshark reads the frame lengths we wrote");
    }

    @Test
    void malformedCapturesAreTypedErrorsNamingTheRecord() throws Exception {
        byte[] good = Files.readAllBytes(Captures.write(dir, "g", packets(), "pcap", 1));
        CaptureException truncated = assertThrows(CaptureException.class,
                () -> CaptureReader.parse(Arrays.copyOf(good, good.length - 3), "cut.pcap"));
        assertTrue(truncated.getMessage().matches("cut\\.pcap: record 200 at byte \\d+: .*"), truncated.getMessage());
        CaptureException header = assertThrows(CaptureException.class, () -> CaptureReader.parse(Arrays.copyOf(good, 30), "h.pcap"));
        assertTrue(header.getMessage().contains("record 1 at byte 24"), header.getMessage());
        CaptureException rawIp = assertThrows(CaptureException.class,
                () -> CaptureReader.read(Captures.write(dir, "raw", packets(), "pcapng", 101)));
        assertTrue(rawIp.getMessage().contains("link type 101 is not Ethernet"), rawIp.getMessage());
        CaptureException text = assertThrows(CaptureException.class, () -> CaptureReader.parse("hello world".getBytes(), "t"));
        assertTrue(text.getMessage().contains("not a pcap or pcapng"), text.getMessage());
    }
}
