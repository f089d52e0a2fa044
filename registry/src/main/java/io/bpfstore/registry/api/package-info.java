/**
 * The store API under {@code /api/v1/}: package search with filters, package and version details, publisher
 * pages, yank and unyank. JSON in the shape of the package contract; errors as
 * {@code {"error":{"code","message"}}} with a matching HTTP status.
 *
 * <p>Trap: search text never reaches SQL or FTS5 syntax as written (see the SQLite store); path segments are
 * decoded and validated here before any lookup.
 */
package io.bpfstore.registry.api;
