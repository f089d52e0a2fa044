package io.bpfstore.registry.storage.oci;

import io.bpfstore.store.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.security.MessageDigest;

/**
 * A client's bytes on their way to the backend: counted against a limit, hashed, and the first failure of the
 * client's stream remembered, so that a failed backend request can be told apart from a client that went away or
 * sent too much. Single-use: a second pass (a retry after an authentication challenge) fails instead of sending
 * what is left of the stream as if it were the whole.
 */
final class OutgoingBody extends InputStream {
    private final InputStream in;
    private final long limit;
    private final MessageDigest hasher = Digest.sha256();
    private long count;
    private boolean overLimit;
    private IOException clientFailure;
    private boolean used;

    OutgoingBody(InputStream in, long limit) {
        this.in = in;
        this.limit = limit;
    }

    /** A publisher streaming this body (chunked: the length is checked here, not declared). */
    HttpRequest.BodyPublisher publisher() {
        return HttpRequest.BodyPublishers.ofInputStream(() -> {
            if (used) {
                return InputStream.nullInputStream(); // never re-sent; the short body fails the backend's checks
            }
            used = true;
            return this;
        });
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            clientFailure = e;
            throw e;
        }
        if (n > 0) {
            count += n;
            if (count > limit) {
                overLimit = true;
                throw new IOException("more than " + limit + " bytes");
            }
            hasher.update(b, off, n);
        }
        return n;
    }

    /** Bytes read so far. */
    long count() {
        return count;
    }

    /** True if the client sent more than the limit. */
    boolean overLimit() {
        return overLimit;
    }

    /** The client's stream failure (a disconnect, a quota), if there was one. */
    IOException clientFailure() {
        return clientFailure;
    }

    /** The digest of the bytes read; call once, after the stream ended. */
    Digest digest() {
        return Digest.fromSha256(hasher.digest());
    }
}
