/**
 * The embedded metadata store: one SQLite database ({@code DATA/registry.db}) in WAL mode. Writes go through
 * one connection under a lock (SQLite has one writer anyway; queuing in the JVM beats busy-retrying), with
 * {@code BEGIN IMMEDIATE} transactions; reads use a small pool of connections that WAL lets run beside the
 * writer. All SQL is parameterised: user text reaches SQLite only as bound values, and FTS5 match
 * expressions are rebuilt from word tokens, each quoted.
 *
 * <p>Trap: the search tables ({@code packages}, {@code package_stats}, {@code package_search}) are a
 * denormalised view of the latest version of each package; every write that changes versions must
 * call {@code SqlitePackageIndex.refresh} in the same transaction.
 */
package io.bpfstore.registry.storage.sqlite;
