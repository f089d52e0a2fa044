package io.bpfstore.registry.storage.postgres;

import io.bpfstore.registry.storage.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The JDBC steps of {@link Jdbc} under the name {@link PgPackageIndex} calls them by; new code calls {@link Jdbc}
 * (this goes when the package index does too).
 */
final class Pg {
    private Pg() {
    }

    /** See {@link Jdbc#string}. */
    static Optional<String> string(Connection c, String sql, String... args) throws SQLException {
        return Jdbc.string(c, sql, args);
    }

    /** See {@link Jdbc#strings}. */
    static List<String> strings(PreparedStatement ps) throws SQLException {
        return Jdbc.strings(ps);
    }

    /** See {@link Jdbc#bind}. */
    static void bind(PreparedStatement ps, List<String> args) throws SQLException {
        Jdbc.bind(ps, args);
    }

    /** See {@link Jdbc#update}. */
    static int update(Connection c, String sql, String... args) throws SQLException {
        return Jdbc.update(c, sql, args);
    }
}
