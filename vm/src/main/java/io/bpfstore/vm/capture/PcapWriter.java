package io.bpfstore.vm.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes packets as a classic little-endian pcap with nanosecond timestamps, Ethernet link type. */
public final class PcapWriter {
    private PcapWriter() {
    }

    /** Writes {@code packets} to {@code path}, replacing it (through a temporary file, so nothing half-written stays). */
    public static void write(Path path, List<CapturedPacket> packets) throws IOException {
        Path temp = Files.createTempFile(path.toAbsolutePath().getParent(), ".bst-pcap-", ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                    .putInt(262_144).putInt(CaptureReader.ETHERNET);
            out.write(header.array());
            for (CapturedPacket p : packets) {
                byte[] data = p.data();
                ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                record.putInt((int) (p.timestampNanos() / 1_000_000_000L)).putInt((int) (p.timestampNanos() % 1_000_000_000L))
                        .putInt(data.length).putInt(Math.max(data.length, p.originalLength()));
                out.write(record.array());
                out.write(data);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
