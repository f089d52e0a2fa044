package io.bpfstore.store.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.bytecode.Reportable;
import io.bpfstore.store.image.SemVer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The highest version of each package this client has pulled, per registry: the memory that refuses a rollback.
 * A signature binds content to a repository, not to "the newest": a registry whose storage was tampered with can
 * serve an older, validly signed version as "latest" (or under its own, older tag) after a newer one was pulled.
 * So a pull, install or upgrade of a version lower than one already pulled is refused unless the caller asks for
 * a downgrade.
 *
 * <p>The record is one JSON file ({@code pulled-versions.json} beside the config file): {@code {registry:
 * {repository: version}}}. Concurrent CLI runs serialise on an exclusive lock of a sibling lock file (and threads of
 * one process on a monitor: the JVM refuses overlapping locks of one file), read, raise and replace the file
 * atomically, so no run lowers or loses another's entry.
 *
 * @param file the record file
 */
public record PulledVersions(Path file) {
    /** The record's file name, beside the config file. */
    public static final String FILE = "pulled-versions.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object IN_PROCESS = new Object();

    /** The record beside {@code configFile}. */
    public static PulledVersions beside(Path configFile) {
        return new PulledVersions(configFile.toAbsolutePath().resolveSibling(FILE));
    }

    /** A version lower than one already pulled, refused without an explicit downgrade. */
    public static final class DowngradeException extends RuntimeException implements Reportable {
        private static final long serialVersionUID = 1L;

        DowngradeException(String message) {
            super(message);
        }
    }

    /** The highest version of {@code repository} pulled from {@code registry}, if any. */
    public Optional<String> highest(URI registry, String repository) {
        synchronized (IN_PROCESS) {
            try (Held ignored = lock()) {
                return Optional.ofNullable(read().path(registry.toString()).path(repository).textValue());
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Refuses {@code version} of {@code repository} when a higher one was already pulled from {@code registry} and
     * {@code allowDowngrade} is false. Versions that are not semver (digests, derived versions) pass.
     *
     * @throws DowngradeException when it is a downgrade not asked for
     */
    public void check(URI registry, String repository, String version, boolean allowDowngrade) {
        if (allowDowngrade || !SemVer.isValid(version)) {
            return;
        }
        Optional<String> before = highest(registry, repository);
        if (before.isPresent() && SemVer.isValid(before.get())
                && new SemVer(version).compareTo(new SemVer(before.get())) < 0) {
            throw new DowngradeException(repository + " " + version + " is older than " + before.get()
                    + ", already pulled from " + registry + " (recorded in " + file + "); a downgrade (a rollback) "
                    + "needs --allow-downgrade");
        }
    }

    /**
     * Records that {@code version} of {@code repository} was pulled (verified) from {@code registry}, when it is the
     * highest so far: the record only rises, so a rollback asked for once is not a new floor. Called after the pull
     * succeeded, so a refused pull raises nothing.
     */
    public void record(URI registry, String repository, String version) {
        if (!SemVer.isValid(version)) {
            return;
        }
        synchronized (IN_PROCESS) {
            try (Held ignored = lock()) {
                JsonNode root = read();
                ObjectNode all = root.isObject() ? (ObjectNode) root : JSON.createObjectNode();
                ObjectNode perRegistry = all.path(registry.toString()).isObject()
                        ? (ObjectNode) all.get(registry.toString()) : all.putObject(registry.toString());
                String before = perRegistry.path(repository).textValue();
                if (before == null || !SemVer.isValid(before) || new SemVer(version).compareTo(new SemVer(before)) > 0) {
                    perRegistry.put(repository, version);
                    write(all);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": " + e.getMessage(), e);
            }
        }
    }

    /** An exclusive lock of the lock file, released by closing its channel. */
    private record Held(FileChannel channel) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private Held lock() throws IOException {
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file.resolveSibling(FILE + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            channel.lock();
            return new Held(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private JsonNode read() throws IOException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (NoSuchFileException e) {
            return JSON.createObjectNode();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("not a record of pulled versions (" + e.getOriginalMessage()
                    + "); remove it to start a new record", e);
        }
    }

    private void write(ObjectNode root) throws IOException {
        StoreConfig.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), "rw-r--r--");
    }
}
