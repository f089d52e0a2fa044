package io.bpfstore.registry.storage.jdbc;

import io.bpfstore.registry.storage.Accounts;
import io.bpfstore.registry.storage.ConflictException;
import io.bpfstore.registry.storage.Publisher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Publishers, namespaces, token hashes and signing keys.
 *
 * @param db    the database
 * @param clock where creation times come from
 */
record JdbcAccounts(SqlDatabase db, Clock clock) implements Accounts {
    @Override
    public Publisher createPublisher(String name, List<String> namespaces) {
        return db.write("create publisher " + name, c -> {
            // ON CONFLICT: two administrators creating one name at once get a conflict, not a database error
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO publishers(name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, name);
                ps.setLong(2, clock.millis());
                if (ps.executeUpdate() == 0) {
                    throw new ConflictException("publisher " + name + " already exists");
                }
            }
            for (String ns : namespaces) {
                if (Jdbc.update(c, "INSERT INTO namespaces(name, publisher) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        ns, name) == 0) {
                    throw new ConflictException("namespace " + ns + " is owned by "
                            + owner(c, ns).orElse("another publisher"));
                }
            }
            return find(c, name).orElseThrow();
        });
    }

    @Override
    public Optional<Publisher> publisher(String name) {
        return db.read("find publisher", c -> find(c, name));
    }

    @Override
    public Optional<String> namespaceOwner(String namespace) {
        return db.read("find namespace owner", c -> owner(c, namespace));
    }

    @Override
    public void addToken(String publisher, String sha256Hex) {
        db.write("add API token", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO api_tokens(hash, publisher, created_at) VALUES (?, ?, ?)")) {
                ps.setString(1, sha256Hex);
                ps.setString(2, publisher);
                ps.setLong(3, clock.millis());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<String> publisherForToken(String sha256Hex) {
        return db.read("find API token", c -> Jdbc.string(c, "SELECT publisher FROM api_tokens WHERE hash = ?",
                sha256Hex));
    }

    @Override
    public void addSigningKey(String publisher, String fingerprint, String pem) {
        db.write("add signing key", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO signing_keys(publisher, fingerprint, pem,"
                    + " created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, publisher);
                ps.setString(2, fingerprint);
                ps.setString(3, pem);
                ps.setLong(4, clock.millis());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public SortedMap<String, String> signingKeys(String publisher) {
        return db.read("list signing keys", c -> {
            SortedMap<String, String> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT fingerprint, pem FROM signing_keys WHERE publisher = ?")) {
                ps.setString(1, publisher);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void requireSignatures(String namespace, boolean required) {
        db.write("set signature requirement", c -> Jdbc.update(c, required
                ? "INSERT INTO signed_namespaces(namespace) VALUES (?) ON CONFLICT DO NOTHING"
                : "DELETE FROM signed_namespaces WHERE namespace = ?", namespace));
    }

    @Override
    public boolean signaturesRequired(String namespace) {
        return db.read("read signature requirement", c -> Jdbc.string(c,
                "SELECT namespace FROM signed_namespaces WHERE namespace = ?", namespace).isPresent());
    }

    private static Optional<Publisher> find(Connection c, String name) throws SQLException {
        if (Jdbc.string(c, "SELECT name FROM publishers WHERE name = ?", name).isEmpty()) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name FROM namespaces WHERE publisher = ? ORDER BY name")) {
            ps.setString(1, name);
            return Optional.of(new Publisher(name, Jdbc.strings(ps)));
        }
    }

    private static Optional<String> owner(Connection c, String namespace) throws SQLException {
        return Jdbc.string(c, "SELECT publisher FROM namespaces WHERE name = ?", namespace);
    }
}
