/**
 * The scaled metadata store: PostgreSQL, shared by any number of registry instances. Every instance is
 * stateless; what they must agree on is coordinated in the database: writes are transactions (READ COMMITTED,
 * retried on serialization failures and deadlocks), a package's search row is recomputed under a row lock on
 * the package, an upload session's offset moves by compare-and-set, and blob collection takes an advisory lock
 * that manifest pushes share ({@link io.bpfstore.registry.storage.postgres.PgReferenceLock}). The token signing
 * key lives in the database too, so a token issued by one instance is accepted by the others.
 *
 * <p>Search uses a {@code tsvector} per visible package built from the same words (letters and digits,
 * lower-cased) as the embedded index, and one token per facet that starts with {@code _}, which no word contains,
 * so a prefix query on words can never match a facet. User text reaches PostgreSQL only as bound parameters.
 *
 * <p>Trap: as in the embedded store, {@code packages} is a denormalised view of each package's latest version;
 * every write that changes versions calls {@code PgPackageIndex.refresh} in the same transaction, after locking
 * the package row.
 */
package io.bpfstore.registry.storage.postgres;
