package io.bpfstore.registry.storage.postgres;

import io.bpfstore.registry.storage.RateCounters;
import io.bpfstore.registry.storage.jdbc.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rate counters in PostgreSQL ({@code rate_counts}, unlogged: counts are worth nothing after a crash, so they cost no
 * WAL), shared by the instances, so a client spreading its attempts over N instances gets one allowance, not N.
 * Each instance deletes ended windows once per window.
 */
final class PgRateCounters implements RateCounters {
    private final PgDatabase db;
    private final AtomicLong swept = new AtomicLong(Long.MIN_VALUE);

    PgRateCounters(PgDatabase db) {
        this.db = db;
    }

    @Override
    public Map<String, Integer> add(List<String> keys, long window) {
        long last = swept.get();
        if (last < window && swept.compareAndSet(last, window)) {
            db.write("sweep rate counts", c -> Jdbc.update(c, "DELETE FROM rate_counts WHERE window_no < ?::bigint",
                    String.valueOf(window)));
        }
        // in key order, so two transactions that count the same keys lock their rows in the same order
        List<String> sorted = keys.stream().sorted().toList();
        return db.write("count a request", c -> {
            Map<String, Integer> after = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rate_counts(counter, window_no, n)"
                    + " VALUES (?, ?, 1) ON CONFLICT (counter, window_no) DO UPDATE SET n = rate_counts.n + 1"
                    + " RETURNING n")) {
                for (String key : sorted) {
                    ps.setString(1, key);
                    ps.setLong(2, window);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        after.put(key, rs.getInt(1));
                    }
                }
            }
            return after;
        });
    }

    @Override
    public Map<String, Integer> counts(List<String> keys, long window) {
        return db.read("read rate counts", c -> {
            Map<String, Integer> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT counter, n FROM rate_counts WHERE window_no = ? AND counter = ANY(?)")) {
                ps.setLong(1, window);
                ps.setArray(2, c.createArrayOf("text", keys.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            return out;
        });
    }
}
