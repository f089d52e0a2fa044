package io.bpfstore.registry.storage.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.registry.packages.PackageRelease;
import io.bpfstore.registry.storage.MetadataException;
import io.bpfstore.registry.storage.PackageRecord;
import io.bpfstore.registry.storage.SearchHit;
import io.bpfstore.registry.storage.VersionRecord;
import io.bpfstore.registry.storage.jdbc.Jdbc;
import io.bpfstore.store.image.SemVer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The statements on {@code packages} and {@code package_versions} that SQLite and PostgreSQL run alike (both
 * stores have these tables with the same columns), and the JSON lists some columns hold.
 */
public final class PackageTables {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final String VERSION_COLUMNS = "version, digest, metadata, yanked, published_at, downloads";
    /** The columns of a search hit, in {@link #hit}'s order, of {@code packages} aliased {@code p}. */
    public static final String HIT_COLUMNS =
            "p.namespace, p.name, p.latest, p.description, p.license, p.program_types, p.downloads, p.latest_digest";

    private PackageTables() {
    }

    /** Adds package {@code namespace/name} unless it is there. */
    public static void insertPackage(Connection c, String namespace, String name) throws SQLException {
        Jdbc.update(c, "INSERT INTO packages(namespace, name) VALUES (?, ?) ON CONFLICT DO NOTHING", namespace, name);
    }

    /** Adds or replaces version {@code r} of package {@code packageId}, keeping its yank flag and downloads. */
    public static void putVersion(Connection c, long packageId, PackageRelease r, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO package_versions(package_id, version, digest, metadata, description, license,
                  program_types, attach_types, helpers, published_at, map_types)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(package_id, version) DO UPDATE SET digest = excluded.digest,
                  metadata = excluded.metadata, description = excluded.description, license = excluded.license,
                  program_types = excluded.program_types, attach_types = excluded.attach_types,
                  helpers = excluded.helpers, map_types = excluded.map_types""")) {
            ps.setLong(1, packageId);
            ps.setString(2, r.version());
            ps.setString(3, r.digest());
            ps.setString(4, r.metadata());
            ps.setString(5, r.description());
            ps.setString(6, r.license());
            ps.setString(7, encode(r.programTypes()));
            ps.setString(8, encode(r.attachTypes()));
            ps.setString(9, encode(r.helpers()));
            ps.setLong(10, now.toEpochMilli());
            ps.setString(11, encode(r.mapTypes()));
            ps.executeUpdate();
        }
    }

    /** The versions of package {@code packageId} that are package versions (semver), newest first. */
    public static List<IndexedVersion> versions(Connection c, long packageId) throws SQLException {
        List<IndexedVersion> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT version, digest, yanked, description, license, program_types, attach_types, helpers,
                  map_types FROM package_versions WHERE package_id = ?""")) {
            ps.setLong(1, packageId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String v = rs.getString(1);
                    if (SemVer.isPackageVersion(v)) {
                        rows.add(new IndexedVersion(new SemVer(v), rs.getString(2), rs.getBoolean(3),
                                rs.getString(4), rs.getString(5), decode(rs.getString(6)), decode(rs.getString(7)),
                                decode(rs.getString(8)), decode(rs.getString(9))));
                    }
                }
            }
        }
        rows.sort(Comparator.comparing(IndexedVersion::version).reversed());
        return rows;
    }

    /** The package with all its versions, newest first. */
    public static Optional<PackageRecord> find(Connection c, String namespace, String name) throws SQLException {
        String description;
        String latest;
        long downloads;
        long id;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, description, latest, downloads FROM packages WHERE namespace = ? AND name = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                id = rs.getLong(1);
                description = rs.getString(2);
                latest = rs.getString(3);
                downloads = rs.getLong(4);
            }
        }
        List<VersionRecord> versions = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + VERSION_COLUMNS
                + " FROM package_versions WHERE package_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    versions.add(versionRecord(rs));
                }
            }
        }
        versions.sort(Comparator.comparing((VersionRecord v) -> new SemVer(v.version())).reversed());
        return Optional.of(new PackageRecord(namespace, name, description, Optional.ofNullable(latest), downloads,
                versions));
    }

    /** One version of a package. */
    public static Optional<VersionRecord> version(Connection c, String namespace, String name, String version)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM package_versions"
                + " WHERE package_id = (SELECT id FROM packages WHERE namespace = ? AND name = ?) AND version = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, name);
            ps.setString(3, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(versionRecord(rs)) : Optional.empty();
            }
        }
    }

    private static VersionRecord versionRecord(ResultSet rs) throws SQLException {
        return new VersionRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                Instant.ofEpochMilli(rs.getLong(5)), rs.getLong(6));
    }

    /** {@code namespace/name} of every package in the given namespaces, sorted. */
    public static List<String> packagesIn(Connection c, List<String> namespaces) throws SQLException {
        if (namespaces.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", Collections.nCopies(namespaces.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT namespace || '/' || name FROM packages"
                + " WHERE namespace IN (" + marks + ") ORDER BY namespace, name")) {
            for (int i = 0; i < namespaces.size(); i++) {
                ps.setString(i + 1, namespaces.get(i));
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** Moves the kept count of packages in search when a package enters or leaves it. */
    public static void countVisible(Connection c, boolean was, boolean is) throws SQLException {
        if (was != is) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE package_stats SET visible = visible + ? WHERE id = 0")) {
                ps.setInt(1, is ? 1 : -1);
                ps.executeUpdate();
            }
        }
    }

    /** Deletes the versions of package {@code packageId} published as {@code digest}. */
    public static void deleteVersions(Connection c, long packageId, String digest) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM package_versions WHERE package_id = ? AND digest = ?")) {
            ps.setLong(1, packageId);
            ps.setString(2, digest);
            ps.executeUpdate();
        }
    }

    /** Sets a version's yank flag; false if package {@code packageId} has no such version. */
    public static boolean setYanked(Connection c, long packageId, String version, boolean yanked)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE package_versions SET yanked = ? WHERE package_id = ? AND version = ?")) {
            ps.setBoolean(1, yanked);
            ps.setLong(2, packageId);
            ps.setString(3, version);
            return ps.executeUpdate() == 1;
        }
    }

    /** Deletes a package that has no version left. */
    public static void deletePackage(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM packages WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** A search hit from a row of {@link #HIT_COLUMNS}. */
    public static SearchHit hit(ResultSet rs) throws SQLException {
        return new SearchHit(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                decode(rs.getString(6)), rs.getLong(7), rs.getString(8));
    }

    /** A list as the JSON array the list columns hold. */
    public static String encode(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new MetadataException("encode list", e);
        }
    }

    /** A list column's JSON array; none for NULL. */
    public static List<String> decode(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new MetadataException("decode list", e);
        }
    }
}
