package io.bpfstore.install;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The state database's tables and their migrations; run at every open. Version (in {@code PRAGMA user_version}):
 * <ul>
 *   <li>1: {@code installation}, {@code pin}, {@code journal};</li>
 *   <li>2: {@code installation.tc_mode} ({@code tcx}/{@code legacy}, NULL for other hooks and for tc rows written
 *       by version 1, which were tcx) and the {@code tc_filter} table;</li>
 *   <li>3: {@code installation.program_types} (the package's types for programs whose section names none, as
 *       {@code PROGRAM=TYPE,...}; NULL when it gives none, as for every row written before).</li>
 * </ul>
 * A database of an older version is migrated in place in one transaction, keeping its rows; a newer one is
 * refused (this bpfstore would not know its rows).
 */
final class StateSchema {
    /** The version this bpfstore writes. */
    static final int VERSION = 3;

    private static final List<String> VERSION_1 = List.of(
            """
            CREATE TABLE IF NOT EXISTS installation (id TEXT NOT NULL, generation INTEGER NOT NULL,
              state TEXT NOT NULL, repository TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL,
              source TEXT NOT NULL, digest TEXT NOT NULL, object_name TEXT NOT NULL, object BLOB NOT NULL,
              hooks TEXT NOT NULL, signed_by TEXT, hook TEXT NOT NULL, iface TEXT, netns TEXT,
              direction TEXT, cgroup TEXT, programs TEXT NOT NULL, priority INTEGER NOT NULL,
              proceed_on TEXT NOT NULL, forced INTEGER NOT NULL, installed_at TEXT NOT NULL,
              PRIMARY KEY (id, generation))""",
            """
            CREATE TABLE IF NOT EXISTS pin (installation TEXT NOT NULL, generation INTEGER NOT NULL,
              kind TEXT NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL PRIMARY KEY, kernel_id INTEGER NOT NULL)""",
            """
            CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY AUTOINCREMENT,
              operation TEXT NOT NULL, installation TEXT NOT NULL, step TEXT NOT NULL,
              from_generation INTEGER NOT NULL, to_generation INTEGER NOT NULL, started_at TEXT NOT NULL)""");

    private static final String TC_FILTER = """
            CREATE TABLE IF NOT EXISTS tc_filter (installation TEXT NOT NULL, program TEXT NOT NULL,
              iface TEXT NOT NULL, netns TEXT, direction TEXT NOT NULL, priority INTEGER NOT NULL,
              handle INTEGER NOT NULL, program_id INTEGER NOT NULL, created_qdisc INTEGER NOT NULL,
              PRIMARY KEY (installation, program))""";

    private StateSchema() {
    }

    /**
     * Creates the tables of a new database and migrates an older one to {@link #VERSION}.
     *
     * @throws SQLException also when the database is of a newer version
     */
    static void apply(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String ddl : VERSION_1) {
                s.execute(ddl);
            }
        }
        int version;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
            version = r.next() ? r.getInt(1) : 0;
        }
        if (version > VERSION) {
            throw new SQLException("schema version " + version + " is newer than this bpfstore's (" + VERSION + ")");
        }
        if (version == VERSION) {
            return;
        }
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            if (!hasColumn(s, "installation", "tc_mode")) {
                s.execute("ALTER TABLE installation ADD COLUMN tc_mode TEXT");
            }
            s.execute(TC_FILTER);
            if (!hasColumn(s, "installation", "program_types")) {
                s.execute("ALTER TABLE installation ADD COLUMN program_types TEXT");
            }
            s.execute("PRAGMA user_version=" + VERSION);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static boolean hasColumn(Statement s, String table, String column) throws SQLException {
        try (ResultSet r = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (r.next()) {
                if (r.getString("name").equals(column)) {
                    return true;
                }
            }
        }
        return false;
    }
}
