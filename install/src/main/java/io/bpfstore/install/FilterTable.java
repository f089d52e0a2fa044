package io.bpfstore.install;

import io.bpfstore.kernel.link.Direction;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code tc_filter} table (schema 2): the legacy tc filters installations own, recorded before each is added or
 * replaced, since a filter has no fd or pin to find it by ({@link LegacyFilter}).
 */
final class FilterTable {
    private static final String COLUMNS = "installation, program, iface, netns, direction, priority, handle,"
            + " program_id, created_qdisc";

    private final SqlSession sql;

    FilterTable(SqlSession sql) {
        this.sql = sql;
    }

    /** Records (or updates) a filter. */
    void put(LegacyFilter f) {
        sql.update("record " + f.describe(), "INSERT OR REPLACE INTO tc_filter (" + COLUMNS + ") VALUES"
                + " (?,?,?,?,?,?,?,?,?)", f.installation(), f.program(), f.iface(), f.netns().orElse(null),
                f.direction().name().toLowerCase(Locale.ROOT), f.priority(), f.handle(), f.programId(),
                f.createdQdisc() ? 1 : 0);
    }

    /** The filters {@code id} owns. */
    List<LegacyFilter> of(String id) {
        return select("read the tc filters of " + id, "installation = ?", id);
    }

    /** Every recorded filter. */
    List<LegacyFilter> all() {
        return select("read the tc filters", "1 = 1");
    }

    /**
     * Forgets the filters of {@code id}. The mark "bpfstore created this clsact qdisc" moves to the filters other
     * installations keep on the same interface, so the last one to go removes the qdisc.
     */
    void delete(String id) {
        String what = "forget the tc filters of " + id;
        for (LegacyFilter f : of(id)) {
            if (f.createdQdisc()) {
                sql.update(what, "UPDATE tc_filter SET created_qdisc = 1 WHERE installation <> ? AND iface = ? AND "
                        + "COALESCE(netns, '') = ?", id, f.iface(), f.netns().orElse(""));
            }
        }
        sql.update(what, "DELETE FROM tc_filter WHERE installation = ?", id);
    }

    private List<LegacyFilter> select(String what, String where, Object... args) {
        return sql.query(what, "SELECT " + COLUMNS + " FROM tc_filter WHERE " + where + " ORDER BY installation, program",
                r -> new LegacyFilter(r.getString(1), r.getString(2), r.getString(3),
                        Optional.ofNullable(r.getString(4)), direction(r.getString(5), what), r.getInt(6), r.getInt(7),
                        r.getInt(8), r.getInt(9) != 0), args);
    }

    private Direction direction(String text, String what) {
        try {
            return Direction.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StateException(sql.file(), what, "direction \"" + text + "\" is neither ingress nor egress");
        }
    }
}
