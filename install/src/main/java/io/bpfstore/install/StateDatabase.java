package io.bpfstore.install;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.kernel.link.Direction;
import io.bpfstore.store.manifest.Hook;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQLite state database ({@code state.db}): installations (one row per generation, {@code active} or
 * {@code pending}), the pins each owns, and the journal of unfinished operations. Schema:
 * <pre>
 * installation(id, generation, state, repository, name, version, source, digest, object_name, object, hooks,
 *              signed_by, hook, iface, netns, direction, cgroup, programs, priority, proceed_on, forced, installed_at)
 * pin(installation, generation, kind, name, path, kernel_id)
 * journal(seq, operation, installation, step, from_generation, to_generation, started_at)
 * tc_filter(installation, program, iface, netns, direction, priority, handle, program_id, created_qdisc)   (v2)
 * </pre>
 * Version 2 added {@code installation.tc_mode} ({@code tcx}/{@code legacy}, NULL for other hooks and for tc rows
 * written by version 1, which were tcx) and the {@code tc_filter} table; opening a version 1 database migrates it
 * in place, keeping its rows.
 * Every change that must be atomic with another runs in one transaction ({@link #inTransaction}).
 */
final class StateDatabase implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SCHEMA_VERSION = 2;

    private final Connection connection;

    private StateDatabase(Connection connection) {
        this.connection = connection;
    }

    /** Opens (creating if needed) the database at {@code file}. */
    static StateDatabase open(Path file) {
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("CREATE TABLE IF NOT EXISTS installation (id TEXT NOT NULL, generation INTEGER NOT NULL,"
                        + " state TEXT NOT NULL, repository TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL,"
                        + " source TEXT NOT NULL, digest TEXT NOT NULL, object_name TEXT NOT NULL, object BLOB NOT NULL,"
                        + " hooks TEXT NOT NULL, signed_by TEXT, hook TEXT NOT NULL, iface TEXT, netns TEXT,"
                        + " direction TEXT, cgroup TEXT, programs TEXT NOT NULL, priority INTEGER NOT NULL,"
                        + " proceed_on TEXT NOT NULL, forced INTEGER NOT NULL, installed_at TEXT NOT NULL,"
                        + " PRIMARY KEY (id, generation))");
                s.execute("CREATE TABLE IF NOT EXISTS pin (installation TEXT NOT NULL, generation INTEGER NOT NULL,"
                        + " kind TEXT NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL PRIMARY KEY,"
                        + " kernel_id INTEGER NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " operation TEXT NOT NULL, installation TEXT NOT NULL, step TEXT NOT NULL,"
                        + " from_generation INTEGER NOT NULL, to_generation INTEGER NOT NULL, started_at TEXT NOT NULL)");
            }
            migrate(c);
            return new StateDatabase(c);
        } catch (SQLException e) {
            throw new InstallException("cannot open the state database " + file + ": " + e.getMessage(), e);
        }
    }

    /** Brings a database of an older schema version to {@link #SCHEMA_VERSION}, in one transaction. */
    private static void migrate(Connection c) throws SQLException {
        int version;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
            version = r.next() ? r.getInt(1) : 0;
        }
        if (version > SCHEMA_VERSION) {
            throw new SQLException("schema version " + version + " is newer than this bpfstore's (" + SCHEMA_VERSION
                    + ")");
        }
        if (version == SCHEMA_VERSION) {
            return;
        }
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            boolean hasMode = false;
            try (ResultSet r = s.executeQuery("PRAGMA table_info(installation)")) {
                while (r.next()) {
                    hasMode |= r.getString("name").equals("tc_mode");
                }
            }
            if (!hasMode) {
                s.execute("ALTER TABLE installation ADD COLUMN tc_mode TEXT");
            }
            s.execute("CREATE TABLE IF NOT EXISTS tc_filter (installation TEXT NOT NULL, program TEXT NOT NULL,"
                    + " iface TEXT NOT NULL, netns TEXT, direction TEXT NOT NULL, priority INTEGER NOT NULL,"
                    + " handle INTEGER NOT NULL, program_id INTEGER NOT NULL, created_qdisc INTEGER NOT NULL,"
                    + " PRIMARY KEY (installation, program))");
            s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Work that touches the database and may fail with SQLException. */
    interface Work<T> {
        /** Does the work. */
        T run() throws SQLException;
    }

    /** Runs {@code work} in one transaction. */
    <T> T inTransaction(Work<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("state database: " + e.getMessage(), e);
        }
    }

    private <T> T run(Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new IllegalStateException("state database: " + e.getMessage(), e);
        }
    }

    // ---- installations

    /** Inserts a generation of an installation with {@code state} ({@code active} or {@code pending}). */
    void insert(Installation i, String state) {
        run(() -> {
            try (PreparedStatement s = connection.prepareStatement("INSERT INTO installation (id, generation,"
                    + " state, repository, name, version, source, digest, object_name, object, hooks, signed_by, hook, iface,"
                    + " netns, direction, cgroup, programs, priority, proceed_on, forced, installed_at, tc_mode) VALUES"
                    + " (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                ResolvedPackage p = i.pkg();
                s.setString(1, i.id());
                s.setInt(2, i.generation());
                s.setString(3, state);
                s.setString(4, p.repository());
                s.setString(5, p.name());
                s.setString(6, p.version());
                s.setString(7, p.source());
                s.setString(8, p.digest());
                s.setString(9, p.objectName());
                s.setBytes(10, p.object());
                s.setString(11, hooksJson(p.hooks()));
                s.setString(12, p.signedBy().orElse(null));
                s.setString(13, i.target().kind());
                HookTarget.Place place = i.target().place();
                s.setString(14, place.iface().orElse(null));
                s.setString(15, place.netns().orElse(null));
                s.setString(16, place.direction().map(d -> d.name().toLowerCase()).orElse(null));
                s.setString(17, place.cgroup().map(Path::toString).orElse(null));
                s.setString(23, place.legacy().map(legacy -> legacy ? "legacy" : "tcx").orElse(null));
                s.setString(18, String.join(",", i.programs()));
                s.setInt(19, i.priority());
                s.setString(20, String.join(",", i.proceedOn()));
                s.setInt(21, i.forced() ? 1 : 0);
                s.setString(22, i.installedAt().toString());
                s.executeUpdate();
            }
            return null;
        });
    }

    /** The active installations, by id. */
    List<Installation> active() {
        return select("state = 'active' ORDER BY id");
    }

    /** The active generation of {@code id}. */
    Optional<Installation> active(String id) {
        return select("state = 'active' AND id = ?", id).stream().findFirst();
    }

    /** The generation {@code generation} of {@code id}, in whatever state. */
    Optional<Installation> generation(String id, int generation) {
        return select("id = ? AND generation = " + generation, id).stream().findFirst();
    }

    /** Every id with any row (active or pending). */
    List<String> ids() {
        return run(() -> {
            List<String> out = new ArrayList<>();
            try (Statement s = connection.createStatement();
                 ResultSet r = s.executeQuery("SELECT DISTINCT id FROM installation ORDER BY id")) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        });
    }

    /** Makes {@code generation} the active one of {@code id} and deletes the others with their pins. */
    void activate(String id, int generation) {
        run(() -> {
            update("DELETE FROM pin WHERE installation = ? AND generation NOT IN (0, " + generation + ")", id);
            update("DELETE FROM installation WHERE id = ? AND generation <> " + generation, id);
            update("UPDATE installation SET state = 'active' WHERE id = ? AND generation = " + generation, id);
            return null;
        });
    }

    /** Deletes one generation and its pins. */
    void deleteGeneration(String id, int generation) {
        run(() -> {
            update("DELETE FROM pin WHERE installation = ? AND generation = " + generation, id);
            update("DELETE FROM installation WHERE id = ? AND generation = " + generation, id);
            return null;
        });
    }

    /** Deletes every generation of {@code id} and every pin it owns. */
    void delete(String id) {
        deleteFilters(id);
        run(() -> {
            update("DELETE FROM pin WHERE installation = ?", id);
            update("DELETE FROM installation WHERE id = ?", id);
            return null;
        });
    }

    private List<Installation> select(String where, String... args) {
        return run(() -> {
            List<Installation> out = new ArrayList<>();
            try (PreparedStatement s = connection.prepareStatement("SELECT * FROM installation WHERE " + where)) {
                for (int k = 0; k < args.length; k++) {
                    s.setString(k + 1, args[k]);
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(installation(r));
                    }
                }
            }
            return out;
        });
    }

    private static Installation installation(ResultSet r) throws SQLException {
        ResolvedPackage p = new ResolvedPackage(r.getString("repository"), r.getString("name"), r.getString("version"),
                r.getString("source"), r.getString("digest"), r.getString("object_name"), r.getBytes("object"),
                hooks(r.getString("hooks")), Optional.ofNullable(r.getString("signed_by")));
        Optional<String> netns = Optional.ofNullable(r.getString("netns"));
        HookTarget target = switch (r.getString("hook")) {
            case "xdp" -> new HookTarget.Xdp(r.getString("iface"), netns);
            case "tc" -> new HookTarget.Tc(r.getString("iface"), netns,
                    Direction.valueOf(r.getString("direction").toUpperCase()), "legacy".equals(r.getString("tc_mode")));
            case "cgroup" -> new HookTarget.Cgroup(Path.of(r.getString("cgroup")));
            case "tracing" -> new HookTarget.Tracing();
            default -> throw new IllegalStateException("state database: unknown hook " + r.getString("hook"));
        };
        return new Installation(r.getString("id"), p, target, split(r.getString("programs")), r.getInt("priority"),
                split(r.getString("proceed_on")), r.getInt("forced") != 0, r.getInt("generation"),
                Instant.parse(r.getString("installed_at")));
    }

    private static List<String> split(String text) {
        return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
    }

    private static String hooksJson(List<Hook> hooks) {
        try {
            return JSON.writeValueAsString(hooks.stream().map(h -> Map.of("program", h.program(),
                    "priority", h.priority(), "proceed_on", h.proceedOn())).toList());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Hook> hooks(String json) {
        try {
            List<Map<String, Object>> raw = JSON.readValue(json, new TypeReference<>() { });
            List<Hook> out = new ArrayList<>();
            for (Map<String, Object> m : raw) {
                @SuppressWarnings("unchecked")
                List<String> proceed = (List<String>) m.get("proceed_on");
                out.add(new Hook((String) m.get("program"), ((Number) m.get("priority")).intValue(), proceed));
            }
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("state database: hooks column: " + e.getMessage(), e);
        }
    }

    // ---- pins

    /** Records a pin. */
    void addPin(String id, Pin pin) {
        run(() -> {
            try (PreparedStatement s = connection.prepareStatement("INSERT OR REPLACE INTO pin VALUES (?,?,?,?,?,?)")) {
                s.setString(1, id);
                s.setInt(2, pin.generation());
                s.setString(3, pin.kind().name().toLowerCase());
                s.setString(4, pin.name());
                s.setString(5, pin.path().toString());
                s.setInt(6, pin.kernelId());
                s.executeUpdate();
            }
            return null;
        });
    }

    /** The pins {@code id} owns. */
    List<Pin> pins(String id) {
        return run(() -> {
            List<Pin> out = new ArrayList<>();
            try (PreparedStatement s = connection.prepareStatement(
                    "SELECT kind, name, generation, path, kernel_id FROM pin WHERE installation = ? ORDER BY path")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Pin(Pin.Kind.valueOf(r.getString(1).toUpperCase()), r.getString(2), r.getInt(3),
                                Path.of(r.getString(4)), r.getInt(5)));
                    }
                }
            }
            return out;
        });
    }

    // ---- legacy tc filters

    /** Records (or updates) a legacy tc filter. */
    void putFilter(LegacyFilter f) {
        run(() -> {
            try (PreparedStatement s = connection.prepareStatement(
                    "INSERT OR REPLACE INTO tc_filter VALUES (?,?,?,?,?,?,?,?,?)")) {
                s.setString(1, f.installation());
                s.setString(2, f.program());
                s.setString(3, f.iface());
                s.setString(4, f.netns().orElse(null));
                s.setString(5, f.direction().name().toLowerCase());
                s.setInt(6, f.priority());
                s.setInt(7, f.handle());
                s.setInt(8, f.programId());
                s.setInt(9, f.createdQdisc() ? 1 : 0);
                s.executeUpdate();
            }
            return null;
        });
    }

    /** The legacy tc filters {@code id} owns. */
    List<LegacyFilter> filters(String id) {
        return selectFilters("installation = ?", id);
    }

    /** Every recorded legacy tc filter. */
    List<LegacyFilter> filters() {
        return selectFilters("1 = 1");
    }

    /**
     * Forgets the filters of {@code id}. The mark "bpfstore created this clsact qdisc" moves to the filters other
     * installations keep on the same interface, so the last one to go removes the qdisc.
     */
    void deleteFilters(String id) {
        run(() -> {
            for (LegacyFilter f : filters(id)) {
                if (f.createdQdisc()) {
                    update("UPDATE tc_filter SET created_qdisc = 1 WHERE installation <> ? AND iface = ? AND "
                            + "COALESCE(netns, '') = ?", id, f.iface(), f.netns().orElse(""));
                }
            }
            update("DELETE FROM tc_filter WHERE installation = ?", id);
            return null;
        });
    }

    private List<LegacyFilter> selectFilters(String where, String... args) {
        return run(() -> {
            List<LegacyFilter> out = new ArrayList<>();
            try (PreparedStatement s = connection.prepareStatement("SELECT installation, program, iface, netns, direction,"
                    + " priority, handle, program_id, created_qdisc FROM tc_filter WHERE " + where
                    + " ORDER BY installation, program")) {
                for (int k = 0; k < args.length; k++) {
                    s.setString(k + 1, args[k]);
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new LegacyFilter(r.getString(1), r.getString(2), r.getString(3),
                                Optional.ofNullable(r.getString(4)), Direction.valueOf(r.getString(5).toUpperCase()),
                                r.getInt(6), r.getInt(7), r.getInt(8), r.getInt(9) != 0));
                    }
                }
            }
            return out;
        });
    }

    // ---- journal

    /**
     * An unfinished operation.
     *
     * @param seq            its journal sequence number
     * @param operation      install, upgrade or uninstall
     * @param installation   the installation id
     * @param step           the last step reached
     * @param fromGeneration the generation before (0 for an install)
     * @param toGeneration   the generation after (0 for an uninstall)
     */
    record Entry(long seq, String operation, String installation, Step step, int fromGeneration, int toGeneration) {
    }

    /** Starts a journal entry at {@code step}. */
    Entry begin(String operation, String id, Step step, int from, int to) {
        return run(() -> {
            try (PreparedStatement s = connection.prepareStatement("INSERT INTO journal (operation, installation, step,"
                    + " from_generation, to_generation, started_at) VALUES (?,?,?,?,?,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                s.setString(1, operation);
                s.setString(2, id);
                s.setString(3, step.label());
                s.setInt(4, from);
                s.setInt(5, to);
                s.setString(6, Instant.now().toString());
                s.executeUpdate();
                try (ResultSet keys = s.getGeneratedKeys()) {
                    keys.next();
                    return new Entry(keys.getLong(1), operation, id, step, from, to);
                }
            }
        });
    }

    /** Records that {@code entry} reached {@code step}. */
    Entry advance(Entry entry, Step step) {
        run(() -> update("UPDATE journal SET step = ? WHERE seq = " + entry.seq(), step.label()));
        return new Entry(entry.seq(), entry.operation(), entry.installation(), step, entry.fromGeneration(),
                entry.toGeneration());
    }

    /** Removes a finished entry. */
    void finish(Entry entry) {
        run(() -> update("DELETE FROM journal WHERE seq = " + entry.seq()));
    }

    /** The unfinished operations, oldest first. */
    List<Entry> unfinished() {
        return run(() -> {
            List<Entry> out = new ArrayList<>();
            try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT seq, operation, installation, step, from_generation, to_generation FROM journal ORDER BY seq")) {
                while (r.next()) {
                    out.add(new Entry(r.getLong(1), r.getString(2), r.getString(3), Step.of(r.getString(4)),
                            r.getInt(5), r.getInt(6)));
                }
            }
            return out;
        });
    }

    private int update(String sql, String... args) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int k = 0; k < args.length; k++) {
                s.setString(k + 1, args[k]);
            }
            return s.executeUpdate();
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to do with a closing connection
        }
    }
}
