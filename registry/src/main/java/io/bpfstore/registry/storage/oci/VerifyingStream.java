package io.bpfstore.registry.storage.oci;

import io.bpfstore.registry.storage.CorruptBlobException;
import io.bpfstore.store.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A blob as the backend sends it, checked against its digest: every byte from the first is hashed, bytes before
 * the requested offset are skipped, and the last block is held back until the end of the stream proved the
 * digest. A reader therefore never receives the whole of a corrupt blob: it gets {@link CorruptBlobException}
 * in place of the final block.
 */
final class VerifyingStream extends InputStream {
    private static final int BLOCK = 64 * 1024;

    private final InputStream in;
    private final Digest expected;
    private final String store;
    private final MessageDigest hasher = Digest.sha256();
    private byte[] out = new byte[0];
    private int outPos;
    private byte[] pending;
    private boolean finished;

    VerifyingStream(InputStream in, Digest expected, String store, long offset) throws IOException {
        this.in = in;
        this.expected = expected;
        this.store = store;
        long skip = offset;
        while (skip > 0) {
            if (outPos == out.length && !advance()) {
                break;
            }
            int n = (int) Math.min(skip, out.length - outPos);
            outPos += n;
            skip -= n;
        }
    }

    /** Reads {@code in} to its end and returns its bytes if they hash to {@code expected}. */
    static byte[] readVerified(InputStream in, Digest expected, String store) throws IOException {
        try (in) {
            byte[] all = in.readAllBytes();
            Digest actual = Digest.of(all);
            if (!actual.equals(expected)) {
                throw new CorruptBlobException(store, expected, "its bytes hash to " + actual);
            }
            return all;
        }
    }

    @Override
    public int read() throws IOException {
        if (outPos == out.length && !advance()) {
            return -1;
        }
        return out[outPos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (outPos == out.length && !advance()) {
            return -1;
        }
        int n = Math.min(len, out.length - outPos);
        System.arraycopy(out, outPos, b, off, n);
        outPos += n;
        return n;
    }

    /** Releases the next block once a further block (or the verified end) follows it; false at the end. */
    private boolean advance() throws IOException {
        if (finished) {
            return false;
        }
        if (pending == null) {
            pending = block();
            if (pending.length == 0) {
                verify();
                return false;
            }
        }
        byte[] after = block();
        if (after.length == 0) {
            verify();
        }
        out = pending;
        outPos = 0;
        pending = after.length == 0 ? null : after;
        return true;
    }

    private byte[] block() throws IOException {
        byte[] b = in.readNBytes(BLOCK);
        hasher.update(b);
        return b;
    }

    private void verify() throws IOException {
        finished = true;
        Digest actual = Digest.fromSha256(hasher.digest());
        if (!actual.equals(expected)) {
            throw new CorruptBlobException(store, expected, "its bytes hash to " + actual);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
