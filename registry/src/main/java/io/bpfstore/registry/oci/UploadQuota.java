package io.bpfstore.registry.oci;

import io.bpfstore.registry.limits.RegistryLimits;
import io.bpfstore.registry.storage.Accounts;
import io.bpfstore.registry.storage.UploadSession;
import io.bpfstore.registry.storage.UploadSessions;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The caps on unfinished uploads (issue 17): open sessions and staged bytes, per publisher and in total. A
 * publisher is the owner of the namespace an upload goes to (only the owner may push there). Counted from the
 * session table at each request, so the caps hold across restarts; two requests racing may overshoot a cap by one
 * chunk, which the total cap still bounds.
 */
final class UploadQuota {
    private final UploadSessions uploads;
    private final Accounts accounts;
    private final RegistryLimits limits;
    private final Clock clock;

    UploadQuota(UploadSessions uploads, Accounts accounts, RegistryLimits limits, Clock clock) {
        this.uploads = uploads;
        this.accounts = accounts;
        this.limits = limits;
        this.clock = clock;
    }

    /** Open sessions and staged bytes, of one publisher and of everyone. */
    private record Usage(int sessions, long bytes, int allSessions, long allBytes) {
    }

    private Usage usage(String repository) {
        String owner = owner(repository);
        List<UploadSession> open = uploads.startedBefore(clock.instant().plusSeconds(86_400));
        Map<String, String> owners = new HashMap<>();
        int sessions = 0;
        long bytes = 0;
        long allBytes = 0;
        for (UploadSession s : open) {
            allBytes += s.offset();
            if (owners.computeIfAbsent(s.repository(), this::owner).equals(owner)) {
                sessions++;
                bytes += s.offset();
            }
        }
        return new Usage(sessions, bytes, open.size(), allBytes);
    }

    private String owner(String repository) {
        String namespace = repository.substring(0, Math.max(0, repository.indexOf('/')));
        return accounts.namespaceOwner(namespace).orElse("namespace " + namespace);
    }

    /** Refuses a new session when the publisher or the registry holds the most allowed. */
    void requireSession(String repository) throws OciException {
        Usage u = usage(repository);
        if (u.sessions() >= limits.uploadSessionsPerAccount()) {
            throw tooMany("a publisher may hold " + limits.uploadSessionsPerAccount() + " unfinished uploads; finish "
                    + "or cancel one first");
        }
        if (u.allSessions() >= limits.uploadSessionsTotal()) {
            throw tooMany("the registry holds its most unfinished uploads (" + limits.uploadSessionsTotal()
                    + "); try again later");
        }
    }

    /** Bytes the publisher of {@code repository} may still stage. */
    long room(String repository) {
        Usage u = usage(repository);
        return Math.max(0, Math.min(limits.stagedBytesPerAccount() - u.bytes(), limits.stagedBytesTotal() - u.allBytes()));
    }

    /** {@code in}, failing with {@link OverQuota} past {@code room} bytes. */
    static InputStream bounded(InputStream in, long room) {
        return new FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                int n = super.read(buffer, off, len);
                count(Math.max(0, n));
                return n;
            }

            private void count(int n) throws OverQuota {
                read += n;
                if (read > room) {
                    throw new OverQuota();
                }
            }
        };
    }

    /** The refusal of bytes over the staging caps. */
    OciException overQuota() {
        return new OciException(OciError.SIZE_INVALID, 413, "unfinished uploads over the staging limit ("
                + limits.stagedBytesPerAccount() + " bytes per publisher, " + limits.stagedBytesTotal() + " in all)",
                null);
    }

    private static OciException tooMany(String message) {
        return new OciException(OciError.TOOMANYREQUESTS, message, null).withHeader("Retry-After", "60");
    }

    /** Thrown by a {@link #bounded} stream past its room. */
    static final class OverQuota extends IOException {
        private static final long serialVersionUID = 1L;

        OverQuota() {
            super("over the staging limit");
        }
    }
}
