package io.bpfstore.install;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code pin} table: every pin an installation owns (maps and programs per generation, links with generation
 * 0 since they outlive upgrades), with the kernel id the object had when pinned.
 */
final class PinTable {
    private final SqlSession sql;

    PinTable(SqlSession sql) {
        this.sql = sql;
    }

    /** Records (or re-records) a pin of {@code id}. */
    void add(String id, Pin pin) {
        sql.update("record pin " + pin.path(), "INSERT OR REPLACE INTO pin VALUES (?,?,?,?,?,?)", id,
                pin.generation(), pin.kind().name().toLowerCase(Locale.ROOT), pin.name(), pin.path().toString(),
                pin.kernelId());
    }

    /** The pins {@code id} owns, by path. */
    List<Pin> of(String id) {
        String what = "read the pins of " + id;
        return sql.query(what, "SELECT kind, name, generation, path, kernel_id FROM pin WHERE installation = ?"
                + " ORDER BY path", r -> new Pin(kind(r.getString(1), what), r.getString(2), r.getInt(3),
                Path.of(r.getString(4)), r.getInt(5)), id);
    }

    /** Forgets the pins of {@code id}'s generations other than {@code generation} (links stay). */
    void keepOnly(String id, int generation) {
        sql.update("forget the old pins of " + id, "DELETE FROM pin WHERE installation = ? AND generation NOT IN (0, ?)",
                id, generation);
    }

    /** Forgets the pins of one generation of {@code id}. */
    void deleteGeneration(String id, int generation) {
        sql.update("forget the pins of generation " + generation + " of " + id,
                "DELETE FROM pin WHERE installation = ? AND generation = ?", id, generation);
    }

    /** Forgets every pin of {@code id}. */
    void delete(String id) {
        sql.update("forget the pins of " + id, "DELETE FROM pin WHERE installation = ?", id);
    }

    private Pin.Kind kind(String text, String what) {
        try {
            return Pin.Kind.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StateException(sql.file(), what, "unknown pin kind \"" + text + "\"");
        }
    }
}
