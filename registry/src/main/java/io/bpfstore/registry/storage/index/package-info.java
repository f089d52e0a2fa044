/**
 * What the two SQL package indexes (embedded SQLite, scaled PostgreSQL) share: the {@code packages} and
 * {@code package_versions} tables' statements, and the rules that make a package's search row from its versions
 * (which version is latest, which kinds and facets it has). Each store keeps only its own search structure
 * (FTS5 there, a {@code tsvector} here) and its own plans.
 */
package io.bpfstore.registry.storage.index;
