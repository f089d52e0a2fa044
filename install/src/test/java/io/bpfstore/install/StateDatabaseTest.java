package io.bpfstore.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.kernel.link.Direction;
import io.bpfstore.store.manifest.Hook;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state database: installations round-trip per hook kind, generations, pins and the journal. */
class StateDatabaseTest {
    @TempDir
    Path dir;

    private static Installation installation(String id, HookTarget target, int generation) {
        ResolvedPackage pkg = new ResolvedPackage("examples/" + id, id, "1.0." + generation, "examples/" + id + "@1.0.0",
                "sha256:" + "ab".repeat(32), "obj", new byte[] {1, 2, 3}, List.of(new Hook("prog", 7, List.of("pass"))),
                Optional.of("fingerprint"));
        return new Installation(id, pkg, target, List.of("prog", "other"), 7, List.of("pass", "drop"), true, generation,
                Instant.parse("2026-01-02T03:04:05Z"));
    }

    @Test
    void installationsRoundTripForEveryHookKind() {
        List<HookTarget> targets = List.of(new HookTarget.Xdp("veth0", Optional.of("ns")),
                new HookTarget.Tc("veth1", Optional.empty(), Direction.EGRESS), new HookTarget.Cgroup(Path.of("/cg/x")),
                new HookTarget.Tracing(), new HookTarget.Tc("veth2", Optional.of("ns"), Direction.INGRESS, true));
        try (StateDatabase db = StateDatabase.open(dir.resolve("state.db"))) {
            for (int i = 0; i < targets.size(); i++) {
                db.installations().insert(installation("p" + i, targets.get(i), 1), InstallationState.ACTIVE);
            }
            List<Installation> back = db.installations().active();
            assertEquals(5, back.size());
            for (int i = 0; i < targets.size(); i++) {
                Installation expected = installation("p" + i, targets.get(i), 1);
                Installation got = back.get(i);
                assertEquals(expected.target(), got.target());
                assertEquals(expected.programs(), got.programs());
                assertEquals(expected.proceedOn(), got.proceedOn());
                assertEquals(expected.pkg().hooks(), got.pkg().hooks());
                assertEquals(expected.pkg().signedBy(), got.pkg().signedBy());
                assertArrayEquals(expected.pkg().object(), got.pkg().object());
                assertEquals(expected.installedAt(), got.installedAt());
                assertTrue(got.forced());
            }
        }
    }

    @Test
    void legacyFiltersRoundTripAndTheQdiscMarkMovesToTheFiltersLeft() {
        try (StateDatabase db = StateDatabase.open(dir.resolve("state.db"))) {
            LegacyFilter a = new LegacyFilter("a", "prog", "veth0", Optional.of("ns"), Direction.INGRESS, 320, 1, 41, true);
            LegacyFilter b = new LegacyFilter("b", "prog", "veth0", Optional.of("ns"), Direction.EGRESS, 640, 1, 42, false);
            LegacyFilter c = new LegacyFilter("c", "prog", "veth0", Optional.empty(), Direction.INGRESS, 640, 1, 43, false);
            List.of(a, b, c).forEach(db.filters()::put);
            assertEquals(List.of(a), db.filters().of("a"));
            db.filters().put(a.running(44));
            assertEquals(44, db.filters().of("a").getFirst().programId());
            db.delete("a");
            assertEquals(List.of(b.withCreatedQdisc(true), c), db.filters().all(),
                    "the filter left on the same interface and namespace inherits the mark; another namespace's not");
        }
    }

    @Test
    void aVersion1DatabaseIsMigratedKeepingItsRows() throws Exception {
        Path file = dir.resolve("state.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement s = c.createStatement()) {
            // the schema as version 1 wrote it, with one tcx installation
            s.execute("CREATE TABLE installation (id TEXT NOT NULL, generation INTEGER NOT NULL,"
                    + " state TEXT NOT NULL, repository TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL,"
                    + " source TEXT NOT NULL, digest TEXT NOT NULL, object_name TEXT NOT NULL, object BLOB NOT NULL,"
                    + " hooks TEXT NOT NULL, signed_by TEXT, hook TEXT NOT NULL, iface TEXT, netns TEXT,"
                    + " direction TEXT, cgroup TEXT, programs TEXT NOT NULL, priority INTEGER NOT NULL,"
                    + " proceed_on TEXT NOT NULL, forced INTEGER NOT NULL, installed_at TEXT NOT NULL,"
                    + " PRIMARY KEY (id, generation))");
            s.execute("CREATE TABLE pin (installation TEXT NOT NULL, generation INTEGER NOT NULL,"
                    + " kind TEXT NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL PRIMARY KEY, kernel_id INTEGER NOT NULL)");
            s.execute("CREATE TABLE journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, operation TEXT NOT NULL,"
                    + " installation TEXT NOT NULL, step TEXT NOT NULL, from_generation INTEGER NOT NULL,"
                    + " to_generation INTEGER NOT NULL, started_at TEXT NOT NULL)");
            s.execute("INSERT INTO installation VALUES ('old', 1, 'active', 'examples/old', 'old', '1.0.0', 'src',"
                    + " 'sha256:00', 'obj', x'010203', '[]', NULL, 'tc', 'veth0', 'ns', 'egress', NULL, 'prog', 7, '', 0,"
                    + " '2026-01-02T03:04:05Z')");
            s.execute("INSERT INTO pin VALUES ('old', 0, 'link', 'prog', '/fs/old/links/prog', 9)");
            s.execute("PRAGMA user_version=1");
        }
        try (StateDatabase db = StateDatabase.open(file)) {
            Installation old = db.installations().active("old").orElseThrow();
            assertEquals(new HookTarget.Tc("veth0", Optional.of("ns"), Direction.EGRESS, false), old.target(),
                    "a version 1 tc row is tcx");
            assertEquals(1, db.pins().of("old").size());
            db.installations().insert(installation("new", new HookTarget.Tc("veth0", Optional.empty(),
                    Direction.INGRESS, true), 1), InstallationState.ACTIVE);
            assertTrue(((HookTarget.Tc) db.installations().active("new").orElseThrow().target()).legacy());
            assertEquals(List.of(), db.filters().all());
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet r = s.executeQuery("PRAGMA user_version")) {
            r.next();
            assertEquals(StateSchema.VERSION, r.getInt(1));
        }
        try (StateDatabase again = StateDatabase.open(file)) {
            assertEquals(2, again.installations().active().size(), "opening a current database changes nothing");
        }
    }

    @Test
    void pendingGenerationsAndPinsFollowActivation() {
        HookTarget t = new HookTarget.Tracing();
        try (StateDatabase db = StateDatabase.open(dir.resolve("state.db"))) {
            db.installations().insert(installation("a", t, 1), InstallationState.ACTIVE);
            db.pins().add("a", new Pin(Pin.Kind.MAP, "m", 1, Path.of("/fs/a/g1/maps/m"), 10));
            db.pins().add("a", new Pin(Pin.Kind.LINK, "prog", 0, Path.of("/fs/a/links/prog"), 11));
            db.installations().insert(installation("a", t, 2), InstallationState.PENDING);
            db.pins().add("a", new Pin(Pin.Kind.MAP, "m", 2, Path.of("/fs/a/g2/maps/m"), 10));
            assertEquals(1, db.installations().active("a").orElseThrow().generation(), "pending is not active");
            db.activate("a", 2);
            assertEquals(2, db.installations().active("a").orElseThrow().generation());
            assertEquals(List.of(Path.of("/fs/a/g2/maps/m"), Path.of("/fs/a/links/prog")),
                    db.pins().of("a").stream().map(Pin::path).toList(), "generation 1's pins went, the link stayed");
            db.delete("a");
            assertEquals(List.of(), db.installations().ids());
            assertEquals(List.of(), db.pins().of("a"));
        }
    }

    @Test
    void theJournalSurvivesReopeningUntilFinished() {
        Path file = dir.resolve("state.db");
        try (StateDatabase db = StateDatabase.open(file)) {
            Journal.Entry e = db.journal().begin(Operation.UPGRADE, "a", Step.UPGRADE_BEGIN, 1, 2);
            db.journal().advance(e, Step.UPGRADE_LOADED);
        }
        try (StateDatabase db = StateDatabase.open(file)) {
            List<Journal.Entry> open = db.journal().unfinished();
            assertEquals(1, open.size());
            assertEquals(Step.UPGRADE_LOADED, open.getFirst().step());
            assertEquals(2, open.getFirst().toGeneration());
            db.journal().finish(open.getFirst());
            assertEquals(List.of(), db.journal().unfinished());
        }
    }

    @Test
    void aFailedTransactionLeavesNoTrace() {
        try (StateDatabase db = StateDatabase.open(dir.resolve("state.db"))) {
            try {
                db.inTransaction(() -> {
                    db.journal().begin(Operation.INSTALL, "x", Step.INSTALL_BEGIN, 0, 1);
                    db.installations().insert(installation("x", new HookTarget.Tracing(), 1), InstallationState.PENDING);
                    throw new IllegalStateException("boom");
                });
            } catch (IllegalStateException expected) {
                // the point of the test
            }
            assertEquals(List.of(), db.journal().unfinished());
            assertEquals(List.of(), db.installations().ids());
        }
    }

    @Test
    void unreadableRowsAndNewerSchemasAreTypedErrorsNamingFileAndPlace() throws Exception {
        Path file = dir.resolve("state.db");
        try (StateDatabase db = StateDatabase.open(file)) {
            db.installations().insert(installation("odd", new HookTarget.Tracing(), 1), InstallationState.ACTIVE);
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement s = c.createStatement()) {
            s.execute("UPDATE installation SET hook = 'kprobe' WHERE id = 'odd'");
            s.execute("INSERT INTO journal (operation, installation, step, from_generation, to_generation, started_at)"
                    + " VALUES ('install', 'odd', 'install-halfway', 0, 1, '2026-01-02T03:04:05Z')");
        }
        try (StateDatabase db = StateDatabase.open(file)) {
            StateException row = assertThrows(StateException.class, () -> db.installations().active());
            assertEquals(file, row.database());
            assertTrue(row.getMessage().contains("row odd generation 1: unknown hook \"kprobe\""), row.getMessage());
            StateException step = assertThrows(StateException.class, () -> db.journal().unfinished());
            assertTrue(step.getMessage().contains("unknown step \"install-halfway\""), step.getMessage());
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version=" + (StateSchema.VERSION + 1));
        }
        StateException newer = assertThrows(StateException.class, () -> StateDatabase.open(file));
        assertTrue(newer.getMessage().startsWith("state database " + file + ": open: "), newer.getMessage());
        assertTrue(newer.getMessage().contains("newer than this bpfstore's"), newer.getMessage());
    }

    @Test
    void onlyTheCommitThatEndsAnOperationWaitsForFsync() {
        try (StateDatabase db = StateDatabase.open(dir.resolve("state.db"))) {
            assertEquals(1, db.synchronous(), "journal steps: NORMAL");
            Journal.Entry e = db.journal().begin(Operation.INSTALL, "a", Step.INSTALL_BEGIN, 0, 1);
            int inside = db.durably(() -> {
                db.installations().insert(installation("a", new HookTarget.Tracing(), 1), InstallationState.ACTIVE);
                db.journal().finish(e);
                return db.synchronous();
            });
            assertEquals(2, inside, "the ending commit: FULL");
            assertEquals(1, db.synchronous(), "back to NORMAL after it");
            int nested = db.inTransaction(() -> db.durably(db::synchronous));
            assertEquals(1, nested, "inside another transaction the outer one decides");
            assertTrue(db.journal().unfinished().isEmpty());
            assertEquals(List.of("a"), db.installations().ids());
        }
        try (StateDatabase again = StateDatabase.open(dir.resolve("state.db"))) {
            assertEquals(List.of("a"), again.installations().ids(), "committed for the next connection");
        }
    }

    @Test
    void aKeptDatabaseStaysOpenAndReopensWhenItsFileWasRemoved() throws Exception {
        Path file = dir.resolve("state.db");
        try (KeptDatabase kept = new KeptDatabase(file)) {
            StateDatabase first = kept.get();
            first.installations().insert(installation("a", new HookTarget.Tracing(), 1), InstallationState.ACTIVE);
            assertTrue(first == kept.get(), "the same connection between operations");
            java.nio.file.Files.delete(file);
            StateDatabase second = kept.get();
            assertTrue(first != second, "a new connection on a new file");
            assertTrue(second.installations().ids().isEmpty());
        }
    }
}
