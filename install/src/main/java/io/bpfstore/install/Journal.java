package io.bpfstore.install;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code journal} table: one row per operation under way, written before the operation touches the kernel and
 * advanced at every {@link Step}, deleted when it finishes. What is left in it after a kill is what
 * {@link Recovery} rolls back or completes.
 */
final class Journal {
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
    record Entry(long seq, Operation operation, String installation, Step step, int fromGeneration,
                 int toGeneration) {
        /** This entry at {@code next}. */
        Entry at(Step next) {
            return new Entry(seq, operation, installation, next, fromGeneration, toGeneration);
        }
    }

    private final SqlSession sql;

    Journal(SqlSession sql) {
        this.sql = sql;
    }

    /** Starts an entry at {@code step}. */
    Entry begin(Operation operation, String id, Step step, int from, int to) {
        return sql.run("journal the " + operation.label() + " of " + id, () -> {
            try (PreparedStatement s = sql.connection().prepareStatement("INSERT INTO journal (operation, installation,"
                    + " step, from_generation, to_generation, started_at) VALUES (?,?,?,?,?,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                s.setString(1, operation.label());
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
        sql.update("journal " + step.label() + " of " + entry.installation(), "UPDATE journal SET step = ? WHERE seq = ?",
                step.label(), entry.seq());
        return entry.at(step);
    }

    /** Removes a finished entry. */
    void finish(Entry entry) {
        sql.update("close the journal entry of " + entry.installation(), "DELETE FROM journal WHERE seq = ?",
                entry.seq());
    }

    /** The unfinished operations, oldest first. */
    List<Entry> unfinished() {
        String what = "read the journal";
        return sql.query(what, "SELECT seq, operation, installation, step, from_generation, to_generation FROM journal"
                + " ORDER BY seq", r -> {
                    String where = what + ": entry " + r.getLong(1);
                    String name = r.getString(2);
                    Operation operation = Operation.of(name).orElseThrow(() -> new StateException(
                            sql.file(), where, "unknown operation \"" + name + "\""));
                    String label = r.getString(4);
                    Step step = Arrays.stream(Step.values()).filter(s -> s.label().equals(label)).findFirst()
                            .orElseThrow(() -> new StateException(sql.file(), where, "unknown step \"" + label + "\""));
                    return new Entry(r.getLong(1), operation, r.getString(3), step, r.getInt(5), r.getInt(6));
                });
    }
}
