package io.bpfstore.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpfstore.testsupport.ExternalTool;
import io.bpfstore.testsupport.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/** Writes captures with Wireshark's own tools (text2pcap, editcap), the oracles of the capture reader. */
public final class Captures {
    private Captures() {
    }

    /**
     * Writes {@code packets} with text2pcap in {@code format} ("pcapng", "pcap"; "nsecpcap" through editcap),
     * with link type {@code linkType}.
     */
    public static Path write(Path dir, String name, List<byte[]> packets, String format, int linkType) throws IOException {
        StringBuilder dump = new StringBuilder();
        for (byte[] p : packets) {
            for (int off = 0; off < p.length; off += 16) {
                dump.append(String.format("%06x", off));
                for (int i = off; i < Math.min(p.length, off + 16); i++) {
                    dump.append(' ').append(HexFormat.of().toHexDigits(p[i]));
                }
                dump.append('\n');
            }
            dump.append('\n');
        }
        Path text = dir.resolve(name + ".txt");
        Files.writeString(text, dump);
        Path out = dir.resolve(name + "." + format);
        String textFormat = format.equals("pcapng") ? "pcapng" : "pcap";
        Path first = format.equals("nsecpcap") ? dir.resolve(name + ".usec.pcap") : out;
        ToolResult r = ExternalTool.run("text2pcap", "-q", "-F", textFormat, "-l", String.valueOf(linkType),
                text.toString(), first.toString());
        assertEquals(0, r.exit(), "text2pcap: " + r.err());
        if (format.equals("nsecpcap")) {
            ToolResult e = ExternalTool.run("editcap", "-F", "nsecpcap", first.toString(), out.toString());
            assertEquals(0, e.exit(), "editcap: " + e.err());
        }
        return out;
    }
}
