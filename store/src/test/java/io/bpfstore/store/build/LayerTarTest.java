package io.bpfstore.store.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.store.image.InvalidImageException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the object back out of a package layer: what the writer makes, what GNU tar makes, and hostile layers. */
class LayerTarTest {

    @Test
    void readsWhatTheStoreWrites() throws Exception {
        byte[] content = "not really an ELF, but bytes".getBytes(StandardCharsets.UTF_8);
        byte[] layer = LayerTar.gzip(LayerTar.tar("prog.o", content));
        LayerTar.Entry o = LayerTar.read(layer, 1 << 20);
        assertEquals("prog.o", o.name());
        assertArrayEquals(content, o.content());
    }

    @Test
    void readsWhatGnuTarWritesWithADirectoryFirst(@TempDir Path dir) throws Exception {
        Path sub = Files.createDirectories(dir.resolve("in/objs"));
        byte[] content = new byte[1500];
        Arrays.fill(content, (byte) 7);
        Files.write(sub.resolve("x.o"), content);
        Path tgz = dir.resolve("layer.tar.gz");
        Process p = new ProcessBuilder("tar", "-C", dir.resolve("in").toString(), "-czf", tgz.toString(), "objs")
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        LayerTar.Entry o = LayerTar.read(Files.readAllBytes(tgz), 1 << 20);
        assertEquals("x.o", o.name());
        assertArrayEquals(content, o.content());
    }

    @Test
    void refusesOversizedEntriesBeforeReadingThem() {
        byte[] layer = LayerTar.gzip(LayerTar.tar("big.o", new byte[4096]));
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> LayerTar.read(layer, 1024));
        assertTrue(e.getMessage().contains("big.o") && e.getMessage().contains("1024"), e.getMessage());
    }

    @Test
    void refusesTruncatedAndNonGzipInput() throws Exception {
        byte[] tar = LayerTar.tar("cut.o", new byte[2000]);
        byte[] cut = gzip(Arrays.copyOf(tar, 512 + 700));
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> LayerTar.read(cut, 1 << 20));
        assertTrue(e.getMessage().contains("cut short after 700 of 2000"), e.getMessage());
        assertThrows(InvalidImageException.class,
                () -> LayerTar.read("plain text".getBytes(StandardCharsets.UTF_8), 1 << 20));
        InvalidImageException empty = assertThrows(InvalidImageException.class,
                () -> LayerTar.read(gzip(new byte[1024]), 1 << 20));
        assertTrue(empty.getMessage().contains("no regular file"), empty.getMessage());
        byte[] badSize = tar.clone();
        Arrays.fill(badSize, 124, 136, (byte) 'x');
        InvalidImageException octal = assertThrows(InvalidImageException.class,
                () -> LayerTar.read(gzip(badSize), 1 << 20));
        assertTrue(octal.getMessage().contains("offset 124"), octal.getMessage());
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
