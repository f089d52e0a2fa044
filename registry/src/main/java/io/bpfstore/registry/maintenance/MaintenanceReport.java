package io.bpfstore.registry.maintenance;

/**
 * What one upkeep run did (or, when dry, would do).
 *
 * @param expiredUploads upload sessions closed and their staged bytes removed
 * @param strayUploads   staged bytes removed that no session owned (debris of a crash)
 * @param deletedBlobs   blobs no manifest references, older than the grace period, deleted
 * @param freedBytes     bytes of those blobs
 * @param keptBlobs      blobs kept (referenced, or unreferenced but within the grace period)
 * @param dryRun         true if nothing was removed
 */
public record MaintenanceReport(int expiredUploads, int strayUploads, int deletedBlobs, long freedBytes,
                                int keptBlobs, boolean dryRun) {

    /** One line for logs and the CLI. */
    public String summary() {
        return (dryRun ? "would remove " : "removed ") + deletedBlobs + " unreferenced blob(s) (" + freedBytes
                + " bytes), " + expiredUploads + " expired upload(s), " + strayUploads + " stray upload file(s); kept "
                + keptBlobs + " blob(s)";
    }
}
