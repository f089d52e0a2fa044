package io.bpfstore.registry.storage.postgres;

import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.registry.storage.RateCounters;
import io.bpfstore.registry.storage.ReferenceLock;
import io.bpfstore.registry.storage.jdbc.JdbcMetadataStore;
import io.bpfstore.registry.storage.jdbc.VersionRows;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Optional;

/** {@link MetadataStore} in a PostgreSQL database that any number of registry instances share. */
public final class PostgresMetadataStore extends JdbcMetadataStore {
    /** Length of a fresh token signing key (the HMAC key of bearer tokens). */
    static final int TOKEN_KEY_BYTES = 32;

    private final PgDatabase db;
    private final PgRateCounters rateCounters;

    private PostgresMetadataStore(PgDatabase db, PgPackageIndex packages, Clock clock) {
        super(db, new PgDialect(), packages, new VersionRows(packages::index, packages::removeVersions), clock);
        this.db = db;
        this.rateCounters = new PgRateCounters(db);
    }

    /**
     * Connects and brings the schema up to date.
     *
     * @param address  where the database is
     * @param password the role's password, if not in PostgreSQL's password file
     * @throws io.bpfstore.registry.storage.MetadataUnavailableException if the database cannot be reached
     */
    public static PostgresMetadataStore open(PostgresAddress address, Optional<String> password) {
        return open(address, password, Clock.systemUTC());
    }

    /** As {@link #open(PostgresAddress, Optional)}, taking time stamps from {@code clock}. */
    public static PostgresMetadataStore open(PostgresAddress address, Optional<String> password, Clock clock) {
        PgDatabase db = PgDatabase.open(address, password);
        return new PostgresMetadataStore(db, new PgPackageIndex(db), clock);
    }

    /** Where the database is. */
    public PostgresAddress address() {
        return db.address();
    }

    /**
     * The HMAC key of bearer tokens, shared by every instance: the first instance to ask creates it at random,
     * the others read that one (so a token from any instance is valid at all of them).
     */
    public byte[] tokenKey() {
        byte[] fresh = new byte[TOKEN_KEY_BYTES];
        new SecureRandom().nextBytes(fresh);
        return db.write("read the token signing key", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO settings(name, value) VALUES ('token_key', ?) ON CONFLICT DO NOTHING")) {
                ps.setBytes(1, fresh);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM settings WHERE name = 'token_key'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        });
    }

    @Override
    public Optional<RateCounters> sharedRateCounters() {
        return Optional.of(rateCounters);
    }

    /** Pushes share, and collections take exclusively, an advisory lock in the database. */
    @Override
    public ReferenceLock referenceLock() {
        return new ReferenceLock(() -> new PgReferenceLock(db, false), () -> new PgReferenceLock(db, true));
    }
}
