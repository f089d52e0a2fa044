package io.bpfstore.registry.storage.sqlite;

import java.util.List;

/** The DDL of the metadata database; idempotent, run at every open. */
final class Schema {
    private Schema() {
    }

    /**
     * The search index of visible packages (rowid = packages.id): words of namespace, name and description; one
     * token per facet of the latest version (see SqlitePackageIndex.facetToken), so that a search with text and
     * filters is a single FTS5 query whose AND merges sorted doclists, with no temp b-trees; and, in {@code kinds},
     * the words of the latest version's program types, attach types, helpers and map types, which text searches
     * match and rank above words of the description. A database made before {@code kinds} existed gets the table
     * rebuilt at open ({@code SqlitePackageIndex.upgrade}).
     */
    static final String SEARCH_TABLE = """
            CREATE VIRTUAL TABLE IF NOT EXISTS package_search USING fts5(
              namespace, name, description, facets, kinds, content='', contentless_delete=1, tokenize='unicode61')""";

    /**
     * Columns added after a table was first released, as {table, column, definition}: added at open to a database
     * created before them ({@code CREATE TABLE IF NOT EXISTS} leaves an existing table as it was).
     */
    static final List<String[]> ADDED_COLUMNS = List.<String[]>of(
            // the blob store's staging state of an upload (an OCI backend's upload URL)
            new String[] {"uploads", "staging", "TEXT NOT NULL DEFAULT ''"});

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
              id TEXT PRIMARY KEY, repo TEXT NOT NULL, offset INTEGER NOT NULL, started_at INTEGER NOT NULL,
              staging TEXT NOT NULL DEFAULT '')""",
            """
            CREATE TABLE IF NOT EXISTS publishers(
              name TEXT PRIMARY KEY, created_at INTEGER NOT NULL)""",
            """
            CREATE TABLE IF NOT EXISTS namespaces(
              name TEXT PRIMARY KEY, publisher TEXT NOT NULL REFERENCES publishers(name))""",
            """
            CREATE TABLE IF NOT EXISTS api_tokens(
              hash TEXT PRIMARY KEY, publisher TEXT NOT NULL REFERENCES publishers(name), created_at INTEGER NOT NULL)""",
            // Signing keys publishers registered (SubjectPublicKeyInfo PEM), and the namespaces that require them.
            """
            CREATE TABLE IF NOT EXISTS signing_keys(
              publisher TEXT NOT NULL REFERENCES publishers(name), fingerprint TEXT NOT NULL, pem TEXT NOT NULL,
              created_at INTEGER NOT NULL, PRIMARY KEY(publisher, fingerprint)) WITHOUT ROWID""",
            """
            CREATE TABLE IF NOT EXISTS signed_namespaces(
              namespace TEXT PRIMARY KEY REFERENCES namespaces(name)) WITHOUT ROWID""",
            // One row per package; the latest_* columns describe its newest non-yanked version (NULL: none).
            """
            CREATE TABLE IF NOT EXISTS packages(
              id INTEGER PRIMARY KEY, namespace TEXT NOT NULL, name TEXT NOT NULL,
              downloads INTEGER NOT NULL DEFAULT 0, description TEXT NOT NULL DEFAULT '',
              latest TEXT, latest_digest TEXT, license TEXT, program_types TEXT,
              UNIQUE(namespace, name))""",
            "CREATE INDEX IF NOT EXISTS packages_rank ON packages(downloads DESC, namespace, name)"
                    + " WHERE latest IS NOT NULL",
            // The number of packages in search, kept by refresh: counting 100k index entries per search is too slow.
            """
            CREATE TABLE IF NOT EXISTS package_stats(
              id INTEGER PRIMARY KEY CHECK (id = 0), visible INTEGER NOT NULL)""",
            "INSERT OR IGNORE INTO package_stats(id, visible)"
                    + " SELECT 0, count(*) FROM packages WHERE latest IS NOT NULL",
            """
            CREATE TABLE IF NOT EXISTS package_versions(
              package_id INTEGER NOT NULL REFERENCES packages(id), version TEXT NOT NULL, digest TEXT NOT NULL,
              metadata TEXT NOT NULL, description TEXT NOT NULL, license TEXT NOT NULL,
              program_types TEXT NOT NULL, attach_types TEXT NOT NULL, helpers TEXT NOT NULL,
              yanked INTEGER NOT NULL DEFAULT 0, published_at INTEGER NOT NULL, downloads INTEGER NOT NULL DEFAULT 0,
              map_types TEXT NOT NULL DEFAULT '[]', PRIMARY KEY(package_id, version))""",
            "CREATE INDEX IF NOT EXISTS package_versions_digest ON package_versions(digest)",
            """
            CREATE TABLE IF NOT EXISTS index_origins(
              url TEXT PRIMARY KEY, added_at INTEGER NOT NULL)""",
            // images copied in from an origin (registry index): the tag's digest makes re-indexing incremental
            """
            CREATE TABLE IF NOT EXISTS indexed_images(
              origin TEXT NOT NULL REFERENCES index_origins(url) ON DELETE CASCADE, remote_repo TEXT NOT NULL,
              tag TEXT NOT NULL, digest TEXT NOT NULL, local_repo TEXT NOT NULL, version TEXT NOT NULL,
              kind TEXT NOT NULL, indexed_at INTEGER NOT NULL, PRIMARY KEY(origin, remote_repo, tag))""",
            SEARCH_TABLE);
}
