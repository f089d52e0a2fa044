package io.bpfstore.registry.storage.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.registry.storage.BlobStoreException;
import io.bpfstore.store.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest {
    @TempDir
    Path tmp;

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Digest digest(String s) {
        return Digest.of(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void putVerifiesDigestSizeAndLimit() throws Exception {
        FileBlobStore store = FileBlobStore.open(tmp, 10);
        assertEquals(5, store.put(digest("hello"), in("hello"), 5).size());
        try (InputStream s = store.open(digest("hello"), 1).orElseThrow()) {
            assertArrayEquals("ello".getBytes(StandardCharsets.UTF_8), s.readAllBytes());
        }
        assertThrows(BlobStoreException.DigestMismatch.class, () -> store.put(digest("x"), in("y"), -1));
        assertThrows(BlobStoreException.SizeMismatch.class, () -> store.put(digest("abc"), in("abc"), 4));
        assertThrows(BlobStoreException.TooLarge.class, () -> store.put(digest("01234567890"), in("01234567890"), -1));
        assertTrue(store.stat(digest("x")).isEmpty());
        try (var staged = Files.list(tmp.resolve("uploads"))) {
            assertEquals(0, staged.count(), "refused puts leave no staged bytes");
        }
    }

    @Test
    void stagedUploadsAppendTruncateAndCommit() throws Exception {
        FileBlobStore store = FileBlobStore.open(tmp, 100);
        store.startUpload("u1");
        assertEquals(3, store.appendUpload("u1", "", 0, in("abc"), 3).end());
        // A chunk that failed midway leaves bytes past the recorded offset; the next append overwrites them.
        InputStream failing = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n++ < 2) {
                    return 'z';
                }
                throw new IOException("client went away");
            }
        };
        assertThrows(IOException.class, () -> store.appendUpload("u1", "", 3, failing, -1));
        assertEquals(6, store.appendUpload("u1", "", 3, in("def"), -1).end());
        assertThrows(BlobStoreException.OffsetMismatch.class, () -> store.appendUpload("u1", "", 9, in("g"), -1));
        assertEquals(6, store.commitUpload("u1", "", 6, digest("abcdef")).size());
        assertTrue(store.stat(digest("abcdef")).isPresent());
        assertThrows(BlobStoreException.UnknownUpload.class, () -> store.appendUpload("u1", "", 0, in("a"), -1));
        assertThrows(IllegalArgumentException.class, () -> store.startUpload("../escape"));

        store.startUpload("u2");
        store.appendUpload("u2", "", 0, in("abc"), -1);
        assertThrows(BlobStoreException.DigestMismatch.class, () -> store.commitUpload("u2", "", 3, digest("abd")));
        assertTrue(Files.notExists(tmp.resolve("uploads/u2")), "a failed commit removes the staged bytes");
    }
}
