package io.bpfstore.registry.server;

import io.bpfstore.registry.http.Exchange;
import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.registry.storage.MetadataStore;
import java.nio.charset.StandardCharsets;

/**
 * Probes for load balancers and orchestrators: {@code /healthz} says the process serves requests (liveness, no
 * storage touched, so a slow backend never gets the process restarted); {@code /readyz} says the storage is
 * reachable (the metadata store answers a read, the blob store its check), else 503 naming what failed, so that
 * traffic goes to another instance.
 */
final class HealthEndpoints {
    private static final System.Logger LOG = System.getLogger(HealthEndpoints.class.getName());

    private final BlobStore blobs;
    private final MetadataStore metadata;

    HealthEndpoints(BlobStore blobs, MetadataStore metadata) {
        this.blobs = blobs;
        this.metadata = metadata;
    }

    /** True for the probe paths. */
    static boolean serves(String path) {
        return path.equals("/healthz") || path.equals("/readyz");
    }

    void handle(Exchange ex, String path) {
        ex.header("Cache-Control", "no-store");
        if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
            ex.header("Allow", "GET, HEAD");
            ex.respond(405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (path.equals("/healthz")) {
            ex.respond(200, "text/plain; charset=utf-8", "ok\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String failed = null;
        try {
            metadata.repositories().list(null, 1);
        } catch (RuntimeException e) {
            failed = "metadata store: " + e.getMessage();
        }
        if (failed == null) {
            try {
                blobs.check();
            } catch (Exception e) {
                failed = "blob store: " + e.getMessage();
            }
        }
        if (failed != null) {
            LOG.log(System.Logger.Level.WARNING, "not ready: " + failed);
            ex.respond(503, "text/plain; charset=utf-8", ("not ready: " + failed + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        ex.respond(200, "text/plain; charset=utf-8", "ready\n".getBytes(StandardCharsets.UTF_8));
    }
}
