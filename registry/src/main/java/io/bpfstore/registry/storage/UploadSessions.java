package io.bpfstore.registry.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Open blob uploads. */
public interface UploadSessions {

    /** Records a new session, its staging state included. */
    void create(UploadSession session);

    /** The session, if open. */
    Optional<UploadSession> find(String id);

    /**
     * Moves the session's offset from {@code expected} to {@code offset} and records the blob store's new staging
     * state, in one step; false if another request moved it first (two clients appending to one session must not
     * both win).
     */
    boolean advance(String id, long expected, long offset, String staging);

    /** Closes the session; false if it was not open. */
    boolean delete(String id);

    /** Sessions opened before {@code cutoff} (candidates for expiry). */
    List<UploadSession> startedBefore(Instant cutoff);
}
