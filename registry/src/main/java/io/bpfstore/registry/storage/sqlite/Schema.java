package io.bpfstore.registry.storage.sqlite;

import java.util.List;

/** The DDL of the metadata database; idempotent, run at every open. */
final class Schema {
    private Schema() {
    }

    static final List<String> STATEMENTS = List.of(
            """
            CREATE TABLE IF NOT EXISTS repositories(
              name TEXT PRIMARY KEY) WITHOUT ROWID""",
            """
            CREATE TABLE IF NOT EXISTS blob_links(
              repo TEXT NOT NULL, digest TEXT NOT NULL, PRIMARY KEY(repo, digest)) WITHOUT ROWID""",
            """
            CREATE TABLE IF NOT EXISTS manifests(
              repo TEXT NOT NULL, digest TEXT NOT NULL, media_type TEXT NOT NULL, content BLOB NOT NULL,
              subject TEXT, artifact_type TEXT, created_at INTEGER NOT NULL, PRIMARY KEY(repo, digest))""",
            "CREATE INDEX IF NOT EXISTS manifests_subject ON manifests(repo, subject) WHERE subject IS NOT NULL",
            """
            CREATE TABLE IF NOT EXISTS tags(
              repo TEXT NOT NULL, tag TEXT NOT NULL, digest TEXT NOT NULL, PRIMARY KEY(repo, tag)) WITHOUT ROWID""",
            "CREATE INDEX IF NOT EXISTS tags_digest ON tags(repo, digest)",
            """
            CREATE TABLE IF NOT EXISTS uploads(
              id TEXT PRIMARY KEY, repo TEXT NOT NULL, offset INTEGER NOT NULL, started_at INTEGER NOT NULL)""",
            """
            CREATE TABLE IF NOT EXISTS publishers(
              name TEXT PRIMARY KEY, created_at INTEGER NOT NULL)""",
            """
            CREATE TABLE IF NOT EXISTS namespaces(
              name TEXT PRIMARY KEY, publisher TEXT NOT NULL REFERENCES publishers(name))""",
            """
            CREATE TABLE IF NOT EXISTS api_tokens(
              hash TEXT PRIMARY KEY, publisher TEXT NOT NULL REFERENCES publishers(name), created_at INTEGER NOT NULL)""",
            // One row per package; the latest_* columns describe its newest non-yanked version (NULL: none).
            """
            CREATE TABLE IF NOT EXISTS packages(
              id INTEGER PRIMARY KEY, namespace TEXT NOT NULL, name TEXT NOT NULL,
              downloads INTEGER NOT NULL DEFAULT 0, description TEXT NOT NULL DEFAULT '',
              latest TEXT, latest_digest TEXT, license TEXT, program_types TEXT,
              UNIQUE(namespace, name))""",
            "CREATE INDEX IF NOT EXISTS packages_rank ON packages(downloads DESC, namespace, name)"
                    + " WHERE latest IS NOT NULL",
            """
            CREATE TABLE IF NOT EXISTS package_versions(
              package_id INTEGER NOT NULL REFERENCES packages(id), version TEXT NOT NULL, digest TEXT NOT NULL,
              metadata TEXT NOT NULL, description TEXT NOT NULL, license TEXT NOT NULL,
              program_types TEXT NOT NULL, attach_types TEXT NOT NULL, helpers TEXT NOT NULL,
              yanked INTEGER NOT NULL DEFAULT 0, published_at INTEGER NOT NULL, downloads INTEGER NOT NULL DEFAULT 0,
              PRIMARY KEY(package_id, version))""",
            "CREATE INDEX IF NOT EXISTS package_versions_digest ON package_versions(digest)",
            // Facets of the latest version: kind is 'type', 'hook', 'helper' or 'license'.
            """
            CREATE TABLE IF NOT EXISTS package_facets(
              kind TEXT NOT NULL, value TEXT NOT NULL, package_id INTEGER NOT NULL,
              PRIMARY KEY(kind, value, package_id)) WITHOUT ROWID""",
            "CREATE INDEX IF NOT EXISTS package_facets_package ON package_facets(package_id)",
            """
            CREATE VIRTUAL TABLE IF NOT EXISTS package_text USING fts5(
              namespace, name, description, content='', contentless_delete=1, tokenize='unicode61')""");
}
