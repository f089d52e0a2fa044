package io.bpfstore.registry.storage.files;

import io.bpfstore.registry.storage.BlobInfo;
import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.registry.storage.BlobStoreException;
import io.bpfstore.registry.storage.BlobStoreUnavailableException;
import io.bpfstore.registry.storage.Staged;
import io.bpfstore.store.image.Digest;
import io.bpfstore.registry.storage.StagedUpload;
import io.bpfstore.registry.storage.StoredBlob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@link BlobStore} on a local file system. */
public final class FileBlobStore implements BlobStore {
    private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final String TEMP_PREFIX = "put-";
    private static final int BUFFER = 64 * 1024;

    private final Path blobs;
    private final Path uploads;
    private final long maxBlobSize;

    private FileBlobStore(Path root, long maxBlobSize) {
        this.blobs = root.resolve("sha256");
        this.uploads = root.resolve("uploads");
        this.maxBlobSize = maxBlobSize;
    }

    /**
     * Opens (creating if needed) the store under {@code root} and removes the debris of one-shot puts that a
     * crash interrupted.
     */
    public static FileBlobStore open(Path root, long maxBlobSize) throws IOException {
        FileBlobStore store = openShared(root, maxBlobSize);
        try (DirectoryStream<Path> debris = Files.newDirectoryStream(store.uploads, TEMP_PREFIX + "*")) {
            for (Path p : debris) {
                Files.deleteIfExists(p);
            }
        }
        return store;
    }

    /**
     * Opens (creating if needed) a store that other registry instances use at the same time (a shared
     * directory): nothing is swept at start, since another instance's one-shot put may be under way. A crashed
     * instance's {@code put-*} files are listed by {@link #stagedUploads()} instead, and storage upkeep removes
     * them once they are older than the upload TTL: a live put writes to its file at least once per idle timeout
     * of the connection (or the connection is cut and the put deletes its file), so an old file has no writer.
     */
    public static FileBlobStore openShared(Path root, long maxBlobSize) throws IOException {
        if (maxBlobSize <= 0) {
            throw new IllegalArgumentException("maximum blob size must be positive: " + maxBlobSize);
        }
        FileBlobStore store = new FileBlobStore(root, maxBlobSize);
        Files.createDirectories(store.blobs);
        Files.createDirectories(store.uploads);
        return store;
    }

    @Override
    public long maxBlobSize() {
        return maxBlobSize;
    }

    @Override
    public BlobInfo put(Digest expected, InputStream in, long declaredLength) throws IOException, BlobStoreException {
        if (declaredLength > maxBlobSize) {
            throw new BlobStoreException.TooLarge(maxBlobSize);
        }
        Path temp = uploads.resolve(TEMP_PREFIX + UUID.randomUUID());
        try {
            MessageDigest hasher = Digest.sha256();
            long n;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                n = copy(in, out, hasher, maxBlobSize);
                out.force(true);
            }
            if (declaredLength >= 0 && n != declaredLength) {
                throw new BlobStoreException.SizeMismatch(declaredLength, n);
            }
            Digest actual = Digest.fromSha256(hasher.digest());
            if (!actual.equals(expected)) {
                throw new BlobStoreException.DigestMismatch(expected, actual);
            }
            publish(temp, actual);
            return new BlobInfo(actual, n);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public Optional<BlobInfo> stat(Digest digest) throws IOException {
        Path p = pathOf(digest);
        try {
            return Optional.of(new BlobInfo(digest, Files.size(p)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<InputStream> open(Digest digest, long offset) throws IOException {
        try {
            FileChannel ch = FileChannel.open(pathOf(digest), StandardOpenOption.READ);
            ch.position(offset);
            return Optional.of(Channels.newInputStream(ch));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
        return Files.deleteIfExists(pathOf(digest));
    }

    @Override
    public void check() throws IOException {
        if (!Files.isDirectory(blobs) || !Files.isWritable(uploads)) {
            throw new BlobStoreUnavailableException("blob directory " + blobs.getParent()
                    + " is missing or not writable", null);
        }
    }

    @Override
    public String startUpload(String uploadId) throws IOException {
        Files.createFile(stagedPath(uploadId));
        return ""; // the staged file is named by the upload id: no state to keep
    }

    @Override
    public Staged appendUpload(String uploadId, String staging, long offset, InputStream in, long declaredLength)
            throws IOException, BlobStoreException {
        Path staged = stagedPath(uploadId);
        if (declaredLength >= 0 && offset + declaredLength > maxBlobSize) {
            throw new BlobStoreException.TooLarge(maxBlobSize);
        }
        FileChannel out;
        try {
            out = FileChannel.open(staged, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new BlobStoreException.UnknownUpload(uploadId);
        }
        boolean ok = false;
        try (out) {
            long size = out.size();
            if (size < offset) {
                throw new BlobStoreException.OffsetMismatch(size, offset);
            }
            out.truncate(offset); // drop what a chunk cut short by a crash or disconnect left behind
            out.position(offset);
            long n = copy(in, out, null, maxBlobSize - offset);
            if (declaredLength >= 0 && n != declaredLength) {
                throw new BlobStoreException.SizeMismatch(declaredLength, n);
            }
            out.force(false);
            ok = true;
            return new Staged(offset + n, "");
        } finally {
            if (!ok) {
                try (FileChannel again = FileChannel.open(staged, StandardOpenOption.WRITE)) {
                    again.truncate(offset);
                } catch (IOException ignored) {
                    // the next append truncates anyway
                }
            }
        }
    }

    @Override
    public BlobInfo commitUpload(String uploadId, String staging, long length, Digest expected)
            throws IOException, BlobStoreException {
        Path staged = stagedPath(uploadId);
        try {
            MessageDigest hasher = Digest.sha256();
            try (FileChannel ch = FileChannel.open(staged, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                if (ch.size() < length) {
                    throw new BlobStoreException.SizeMismatch(length, ch.size());
                }
                ch.truncate(length);
                ByteBuffer buf = ByteBuffer.allocate(BUFFER);
                while (ch.read(buf) > 0) {
                    buf.flip();
                    hasher.update(buf);
                    buf.clear();
                }
                ch.force(true);
            } catch (NoSuchFileException e) {
                throw new BlobStoreException.UnknownUpload(uploadId);
            }
            Digest actual = Digest.fromSha256(hasher.digest());
            if (!actual.equals(expected)) {
                throw new BlobStoreException.DigestMismatch(expected, actual);
            }
            publish(staged, actual);
            return new BlobInfo(actual, length);
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    @Override
    public void abortUpload(String uploadId, String staging) throws IOException {
        Files.deleteIfExists(stagedPath(uploadId));
    }

    @Override
    public List<StoredBlob> list() throws IOException {
        List<StoredBlob> out = new ArrayList<>();
        try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(blobs)) {
            for (Path prefix : prefixes) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix)) {
                    for (Path file : files) {
                        String digest = "sha256:" + file.getFileName();
                        if (!Digest.isDigest(digest)) {
                            continue; // not a blob of ours; never delete what we did not write
                        }
                        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                        out.add(new StoredBlob(Digest.parse(digest), a.size(), a.lastModifiedTime().toInstant()));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public List<StagedUpload> stagedUploads() throws IOException {
        List<StagedUpload> out = new ArrayList<>();
        try (DirectoryStream<Path> staged = Files.newDirectoryStream(uploads)) {
            for (Path file : staged) {
                String id = file.getFileName().toString();
                if (UPLOAD_ID.matcher(id).matches()) { // a session's bytes, or a one-shot put's (put-*)
                    out.add(new StagedUpload(id, Files.getLastModifiedTime(file).toInstant()));
                }
            }
        }
        return out;
    }

    private void publish(Path verified, Digest digest) throws IOException {
        Path target = pathOf(digest);
        Files.createDirectories(target.getParent());
        try {
            Files.move(verified, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("blob store needs atomic renames within " + blobs.getParent(), e);
        }
    }

    private Path pathOf(Digest digest) {
        return blobs.resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    private Path stagedPath(String uploadId) {
        if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) {
            throw new IllegalArgumentException("malformed upload id: " + uploadId);
        }
        return uploads.resolve(uploadId);
    }

    /** Copies until end of stream, failing as soon as more than {@code limit} bytes arrived. */
    private long copy(InputStream in, FileChannel out, MessageDigest hasher, long limit)
            throws IOException, BlobStoreException {
        byte[] buf = new byte[BUFFER];
        long total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            total += n;
            if (total > limit) {
                throw new BlobStoreException.TooLarge(maxBlobSize);
            }
            if (hasher != null) {
                hasher.update(buf, 0, n);
            }
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
            while (bb.hasRemaining()) {
                out.write(bb);
            }
        }
        return total;
    }
}
