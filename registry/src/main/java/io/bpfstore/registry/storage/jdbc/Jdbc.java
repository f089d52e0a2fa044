package io.bpfstore.registry.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small JDBC steps the metadata tables share. */
public final class Jdbc {
    private Jdbc() {
    }

    /** Reads one row of a result into a value. */
    @FunctionalInterface
    public interface Row<T> {
        /** The value of the result's current row. */
        T read(ResultSet rs) throws SQLException;
    }

    /** The first column of the first row of {@code sql} bound to {@code args}, if any. */
    public static Optional<String> string(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, List.of(args));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The first column of every row. */
    public static List<String> strings(PreparedStatement ps) throws SQLException {
        return rows(ps, rs -> rs.getString(1));
    }

    /** Every row, each read by {@code row}. */
    public static <T> List<T> rows(PreparedStatement ps, Row<T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row.read(rs));
            }
        }
        return out;
    }

    /** The first row read by {@code row}, if there is one. */
    public static <T> Optional<T> first(PreparedStatement ps, Row<T> row) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
        }
    }

    /** Binds strings to parameters 1.. */
    public static void bind(PreparedStatement ps, List<String> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setString(i + 1, args.get(i));
        }
    }

    /** Runs an update with string parameters; returns the row count. */
    public static int update(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, List.of(args));
            return ps.executeUpdate();
        }
    }
}
