/**
 * Assembles and runs the registry: opens the data directory (blobs, SQLite database, token signing key),
 * wires the distribution API, the token endpoint and the store API behind one Jetty server whose handlers run
 * on virtual threads, and stops it cleanly.
 *
 * <p>Trap: the data directory is the whole state of an embedded registry; two servers must not share one
 * (SQLite would serialise them, but upload locks are per process).
 */
package io.bpfstore.registry.server;
