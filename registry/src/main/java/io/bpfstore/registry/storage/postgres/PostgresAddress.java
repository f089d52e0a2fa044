package io.bpfstore.registry.storage.postgres;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the scaled set-up's database is: {@code postgresql://USER@HOST[:PORT]/DB}. A password never appears
 * here (command lines are visible to every user of the host); it comes from {@code PGPASSWORD} or PostgreSQL's
 * password file ({@code ~/.pgpass}, or the file {@code PGPASSFILE} names), which the driver reads.
 *
 * @param user     database role
 * @param host     host name or address ({@code [v6]} without brackets)
 * @param port     port
 * @param database database name
 */
public record PostgresAddress(String user, String host, int port, String database) {
    private static final Pattern URL = Pattern.compile(
            "postgres(?:ql)?://([A-Za-z0-9_.-]{1,63})(:[^@]*)?@(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9_.-]{1,253})"
                    + "(?::(\\d{1,5}))?/([A-Za-z0-9_-]{1,63})");
    /** PostgreSQL's default port. */
    public static final int DEFAULT_PORT = 5432;

    /** Checks the parts. */
    public PostgresAddress {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("database port out of range: " + port);
        }
    }

    /** Whether {@code text} is meant as a database address (a {@code postgresql://} URL), right or wrong. */
    public static boolean isDatabaseUrl(String text) {
        return text.startsWith("postgresql://") || text.startsWith("postgres://");
    }

    /**
     * Parses {@code postgresql://USER@HOST[:PORT]/DB}.
     *
     * @throws IllegalArgumentException naming what is wrong; a URL with a password is refused
     */
    public static PostgresAddress parse(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected postgresql://USER@HOST[:PORT]/DB, got \"" + redact(url)
                    + "\"");
        }
        if (m.group(2) != null) {
            throw new IllegalArgumentException("a password does not belong on the command line; set PGPASSWORD or"
                    + " use ~/.pgpass (" + redact(url) + ")");
        }
        String host = m.group(3).startsWith("[") ? m.group(3).substring(1, m.group(3).length() - 1) : m.group(3);
        int port = m.group(4) == null ? DEFAULT_PORT : Integer.parseInt(m.group(4));
        return new PostgresAddress(m.group(1), host, port, m.group(5));
    }

    /** The JDBC URL (no credentials). */
    String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + database;
    }

    /** {@code postgresql://USER@HOST:PORT/DB}. */
    @Override
    public String toString() {
        return "postgresql://" + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + database;
    }

    /** The URL with anything between {@code ://user:} and {@code @} masked, for error messages. */
    private static String redact(String url) {
        return url.replaceAll("(://[^:/@]*):[^@/]*@", "$1:***@");
    }
}
