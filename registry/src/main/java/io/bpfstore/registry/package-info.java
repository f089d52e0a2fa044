/**
 * The registry server: the OCI distribution API, the store API (search, versions, yank), accounts and tokens,
 * and the web UI; metadata and blob storage sit behind interfaces with embedded defaults (SQLite, files).
 */
package io.bpfstore.registry;
