package io.bpfstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.store.manifest.ManifestException;
import io.bpfstore.store.manifest.ManifestParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17, item 6: a {@code bpfstore.yaml} read from disk, as {@code package} reads it. */
class ManifestFileTest {
    @TempDir
    Path dir;

    @Test
    void invalidUtf8NamesLineAndColumn() throws Exception {
        byte[] head = "name: x\nnamespace: acme\ndescription: caf".getBytes(StandardCharsets.UTF_8);
        byte[] file = new byte[head.length + 2];
        System.arraycopy(head, 0, file, 0, head.length);
        file[head.length] = (byte) 0xC3; // a lead byte followed by a byte that cannot continue it
        file[head.length + 1] = '\n';
        Path yaml = Files.write(dir.resolve("bpfstore.yaml"), file);
        ManifestException e = assertThrows(ManifestException.class, () -> ManifestParser.read(yaml));
        assertEquals(Optional.of(new ManifestException.Location(3, 17)), e.location());
        assertTrue(e.getMessage().contains("not UTF-8 (byte 0xc3)"), e.getMessage());
    }

    @Test
    void anObjectThatIsNotARegularFileIsRefused() throws Exception {
        Files.createDirectories(dir.resolve("prog.o"));
        Path yaml = Files.writeString(dir.resolve("bpfstore.yaml"),
                "name: x\nnamespace: acme\nversion: 1.0.0\nlicense: MIT\nobject: prog.o\n");
        ManifestException e = assertThrows(ManifestException.class, () -> ManifestParser.read(yaml));
        assertEquals("object", e.field());
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }
}
