package io.bpfstore.install;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The state database's one connection as its tables use it: statements with string, integer and null parameters,
 * rows mapped to values, and every {@link SQLException} turned into a {@link StateException} naming the file and
 * what was being done.
 */
final class SqlSession {
    /** One result row to a value. */
    @FunctionalInterface
    interface Row<T> {
        /** Maps the current row. */
        T map(ResultSet r) throws SQLException;
    }

    /** Work on the connection. */
    @FunctionalInterface
    interface Work<T> {
        /** Does the work. */
        T run() throws SQLException;
    }

    private final Connection connection;
    private final Path file;

    SqlSession(Connection connection, Path file) {
        this.connection = connection;
        this.file = file;
    }

    /** The database file, for messages. */
    Path file() {
        return file;
    }

    Connection connection() {
        return connection;
    }

    /** Runs {@code work}, a failure reported as doing {@code what}. */
    <T> T run(String what, Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new StateException(file, what, e);
        }
    }

    /** Runs one INSERT, UPDATE or DELETE with {@code args} (String, Integer, Long, byte[] or null); rows changed. */
    int update(String what, String sql, Object... args) {
        return run(what, () -> {
            try (PreparedStatement s = prepared(sql, args)) {
                return s.executeUpdate();
            }
        });
    }

    /** Runs one SELECT with {@code args}, mapping each row. */
    <T> List<T> query(String what, String sql, Row<T> row, Object... args) {
        return run(what, () -> {
            List<T> out = new ArrayList<>();
            try (PreparedStatement s = prepared(sql, args); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(row.map(r));
                }
            }
            return out;
        });
    }

    private PreparedStatement prepared(String sql, Object... args) throws SQLException {
        PreparedStatement s = connection.prepareStatement(sql);
        try {
            for (int k = 0; k < args.length; k++) {
                s.setObject(k + 1, args[k]);
            }
            return s;
        } catch (SQLException e) {
            s.close();
            throw e;
        }
    }
}
