package io.bpfstore.store.client;

import io.bpfstore.store.image.Digest;

/**
 * What a push did.
 *
 * @param repository the repository pushed to
 * @param tag        the tag set
 * @param digest     the manifest digest
 * @param uploaded   blobs uploaded
 * @param skipped    blobs the registry already had
 * @param mounted    blobs mounted from another repository
 */
public record PushResult(String repository, String tag, Digest digest, int uploaded, int skipped, int mounted) {
}
