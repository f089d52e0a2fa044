package io.bpfstore.registry.storage.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * The DDL of the PostgreSQL store as numbered migrations. At every start the instance takes a transaction-level
 * advisory lock, reads the applied version and runs the newer migrations in the same transaction, so instances
 * starting together neither race nor see half a schema. A new migration is appended, never edited.
 */
final class PgSchema {
    /** Advisory-lock key of schema migration ("bpfs" + 1). */
    static final long MIGRATION_LOCK = 0x6270667300000001L;

    private PgSchema() {
    }

    /**
     * Migration {@code i} brings the schema from version {@code i} to {@code i + 1}. Names sort by code point
     * (COLLATE "C"), as the embedded store sorts them, whatever the database's locale.
     */
    static final List<List<String>> MIGRATIONS = List.of(List.of(
            "CREATE TABLE repositories(name text COLLATE \"C\" PRIMARY KEY)",
            "CREATE TABLE blob_links(repo text NOT NULL, digest text NOT NULL, PRIMARY KEY(repo, digest))",
            "CREATE INDEX blob_links_digest ON blob_links(digest)",
            """
            CREATE TABLE manifests(
              repo text NOT NULL, digest text NOT NULL, media_type text NOT NULL, content bytea NOT NULL,
              subject text, artifact_type text, created_at bigint NOT NULL, PRIMARY KEY(repo, digest))""",
            "CREATE INDEX manifests_subject ON manifests(repo, subject) WHERE subject IS NOT NULL",
            """
            CREATE TABLE tags(
              repo text NOT NULL, tag text COLLATE "C" NOT NULL, digest text NOT NULL, PRIMARY KEY(repo, tag))""",
            "CREATE INDEX tags_digest ON tags(repo, digest)",
            """
            CREATE TABLE uploads(
              id text PRIMARY KEY, repo text NOT NULL, upload_offset bigint NOT NULL, started_at bigint NOT NULL,
              staging text NOT NULL DEFAULT '')""",
            "CREATE INDEX uploads_started ON uploads(started_at)",
            "CREATE TABLE publishers(name text PRIMARY KEY, created_at bigint NOT NULL)",
            "CREATE TABLE namespaces(name text PRIMARY KEY, publisher text NOT NULL REFERENCES publishers(name))",
            """
            CREATE TABLE api_tokens(
              hash text PRIMARY KEY, publisher text NOT NULL REFERENCES publishers(name),
              created_at bigint NOT NULL)""",
            """
            CREATE TABLE signing_keys(
              publisher text NOT NULL REFERENCES publishers(name), fingerprint text NOT NULL, pem text NOT NULL,
              created_at bigint NOT NULL, PRIMARY KEY(publisher, fingerprint))""",
            "CREATE TABLE signed_namespaces(namespace text PRIMARY KEY REFERENCES namespaces(name))",
            // One row per package; latest_* describe its newest non-yanked version (NULL: none, not in search).
            // search holds the words of namespace, name, kinds (program, attach and map types, helpers) and
            // description of the latest version, one token per facet, and the namespace, name and kinds words again
            // as _n_<word> (the first search tier); see PgSearchTerms.
            """
            CREATE TABLE packages(
              id bigserial PRIMARY KEY, namespace text COLLATE "C" NOT NULL, name text COLLATE "C" NOT NULL,
              downloads bigint NOT NULL DEFAULT 0, description text NOT NULL DEFAULT '',
              latest text, latest_digest text, license text, program_types text, search tsvector,
              UNIQUE(namespace, name))""",
            "CREATE INDEX packages_rank ON packages(downloads DESC, namespace, name) WHERE latest IS NOT NULL",
            "CREATE INDEX packages_search ON packages USING gin(search) WHERE latest IS NOT NULL",
            // The number of packages in search, kept by refresh (counting a million rows per search is too slow).
            "CREATE TABLE package_stats(id int PRIMARY KEY CHECK (id = 0), visible bigint NOT NULL)",
            "INSERT INTO package_stats(id, visible) VALUES (0, 0)",
            """
            CREATE TABLE package_versions(
              package_id bigint NOT NULL REFERENCES packages(id) ON DELETE CASCADE, version text NOT NULL,
              digest text NOT NULL, metadata text NOT NULL, description text NOT NULL, license text NOT NULL,
              program_types text NOT NULL, attach_types text NOT NULL, helpers text NOT NULL,
              yanked boolean NOT NULL DEFAULT false, published_at bigint NOT NULL,
              downloads bigint NOT NULL DEFAULT 0, map_types text NOT NULL, PRIMARY KEY(package_id, version))""",
            "CREATE INDEX package_versions_digest ON package_versions(digest)",
            // Registries this one indexes (registry index), and the images copied from each (see storage.jdbc.JdbcIndexedOrigins).
            "CREATE TABLE index_origins(url text COLLATE \"C\" PRIMARY KEY, added_at bigint NOT NULL)",
            """
            CREATE TABLE indexed_images(
              origin text NOT NULL REFERENCES index_origins(url) ON DELETE CASCADE,
              remote_repo text COLLATE "C" NOT NULL, tag text COLLATE "C" NOT NULL, digest text NOT NULL,
              local_repo text NOT NULL, version text NOT NULL, kind text NOT NULL, indexed_at bigint NOT NULL,
              PRIMARY KEY(origin, remote_repo, tag))""",
            // Shared secrets of the instances (the token signing key), created by the first instance to start.
            "CREATE TABLE settings(name text PRIMARY KEY, value bytea NOT NULL)"),
            // The rate limiter's counts, shared by the instances (PgRateCounters); unlogged: a crash may lose them.
            List.of("CREATE UNLOGGED TABLE rate_counts(counter text NOT NULL, window_no bigint NOT NULL,"
                    + " n int NOT NULL, PRIMARY KEY(counter, window_no))"),
            // Search at a million packages (PgPackageIndex.search): new entries go straight into the GIN index,
            // not into a pending list every search would read; ANALYZE keeps the share of up to 10,000 lexemes
            // (PgSearchStats estimates a search's matches from them).
            List.of("ALTER INDEX packages_search SET (fastupdate = off)",
                    "ALTER TABLE packages ALTER COLUMN search SET STATISTICS 1000"));

    /** Brings the schema up to date (see the class comment). */
    static void migrate(PgDatabase db) {
        db.write("migrate the database schema", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
                s.execute("CREATE TABLE IF NOT EXISTS bpfstore_schema(id int PRIMARY KEY CHECK (id = 0),"
                        + " version int NOT NULL)");
                s.execute("INSERT INTO bpfstore_schema(id, version) VALUES (0, 0) ON CONFLICT DO NOTHING");
            }
            int version;
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM bpfstore_schema WHERE id = 0");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                version = rs.getInt(1);
            }
            if (version > MIGRATIONS.size()) {
                throw new java.sql.SQLException("the database schema is version " + version + ", newer than this"
                        + " bpfstore knows (" + MIGRATIONS.size() + "); upgrade bpfstore");
            }
            try (Statement s = c.createStatement()) {
                for (int v = version; v < MIGRATIONS.size(); v++) {
                    for (String ddl : MIGRATIONS.get(v)) {
                        s.execute(ddl);
                    }
                }
                s.execute("UPDATE bpfstore_schema SET version = " + MIGRATIONS.size() + " WHERE id = 0");
            }
            return null;
        });
    }
}
