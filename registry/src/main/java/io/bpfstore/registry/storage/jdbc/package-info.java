/**
 * The metadata store's tables over plain JDBC, written once for both set-ups: repositories, upload sessions,
 * accounts and indexed origins ({@link io.bpfstore.registry.storage.jdbc.JdbcMetadataStore} wires them). The
 * SQL is the common subset of SQLite and PostgreSQL (upserts with {@code ON CONFLICT}, which SQLite has had since
 * 3.24); what still differs is a {@link io.bpfstore.registry.storage.jdbc.SqlDialect}. Each set-up keeps its own
 * connections and transactions ({@link io.bpfstore.registry.storage.jdbc.SqlDatabase}), schema, locks and
 * package index.
 */
package io.bpfstore.registry.storage.jdbc;
