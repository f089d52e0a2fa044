package io.bpfstore.store.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.bpfstore.store.client.Credentials;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The CLI's configuration: the config file ({@code registry: URL}) and the credentials file beside it.
 *
 * <pre>{@code
 * StoreConfig config = StoreConfig.locate(System.getenv());
 * URI registry = config.registry(Optional.ofNullable(flag), System.getenv());
 * Optional<Credentials> c = config.credentials(registry);
 * }</pre>
 *
 * @param file the config file (need not exist)
 */
public record StoreConfig(Path file) {
    /** Environment variable naming the config file (tests point it into a temporary directory). */
    public static final String CONFIG_ENV = "BPFSTORE_CONFIG";
    /** Environment variable giving the registry address. */
    public static final String REGISTRY_ENV = "BPFSTORE_REGISTRY";
    /** System property with the same meaning as {@link #CONFIG_ENV}, for in-process tests (env is read-only). */
    public static final String CONFIG_PROPERTY = "bpfstore.config";
    private static final int MAX_FILE = 64 * 1024;
    private static final ObjectMapper YAML = yaml();

    private static ObjectMapper yaml() {
        LoaderOptions loader = new LoaderOptions();
        loader.setMaxAliasesForCollections(8);
        loader.setCodePointLimit(MAX_FILE);
        return new YAMLMapper(YAMLFactory.builder().loaderOptions(loader).build());
    }

    /** The config file named by {@code env} (or the system property), else the XDG default. */
    public static StoreConfig locate(Map<String, String> env) {
        String explicit = env.getOrDefault(CONFIG_ENV, System.getProperty(CONFIG_PROPERTY));
        if (explicit != null && !explicit.isBlank()) {
            return new StoreConfig(Path.of(explicit));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path dir = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new StoreConfig(dir.resolve("bpfstore").resolve("config.yaml"));
    }

    /** The credentials file: {@code credentials.yaml} beside the config file. */
    public Path credentialsFile() {
        Path parent = file.toAbsolutePath().getParent();
        return parent.resolve("credentials.yaml");
    }

    /** The record of the highest version of each package pulled ({@code pulled-versions.json} beside the config file). */
    public PulledVersions pulledVersions() {
        return PulledVersions.beside(file);
    }

    /** The trusted-keys directory: {@code trusted-keys/} beside the config file (public keys, one PEM file each). */
    public Path trustedKeysDir() {
        return file.toAbsolutePath().getParent().resolve("trusted-keys");
    }

    /** The registry: the flag, else {@code BPFSTORE_REGISTRY}, else the config file's {@code registry:}. */
    public URI registry(Optional<String> flag, Map<String, String> env) {
        if (flag.isPresent()) {
            return RegistryAddress.parse(flag.get());
        }
        String fromEnv = env.get(REGISTRY_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return RegistryAddress.parse(fromEnv);
        }
        JsonNode registry = read(file).path("registry");
        if (registry.isTextual()) {
            return RegistryAddress.parse(registry.asText());
        }
        throw new ConfigException("registry", "no registry given: use --registry URL, set " + REGISTRY_ENV
                + ", or put \"registry: URL\" in " + file);
    }

    /** The saved credentials for {@code registry}, if {@code bpfstore login} stored some. */
    public Optional<Credentials> credentials(URI registry) {
        JsonNode entry = read(credentialsFile()).path("registries").path(registry.toString());
        if (!entry.isObject()) {
            return Optional.empty();
        }
        if (!entry.path("username").isTextual() || !entry.path("password").isTextual()) {
            throw new ConfigException(credentialsFile().toString(), "entry for " + registry
                    + " needs username and password strings");
        }
        return Optional.of(new Credentials(entry.path("username").asText(), entry.path("password").asText()));
    }

    /** Saves credentials for {@code registry} (mode 0600, replacing the file atomically). */
    public void saveCredentials(URI registry, Credentials credentials) throws IOException {
        Path target = credentialsFile();
        JsonNode existing = read(target);
        ObjectNode root = existing.isObject() ? (ObjectNode) existing.deepCopy() : YAML.createObjectNode();
        ObjectNode registries = root.path("registries").isObject() ? (ObjectNode) root.get("registries")
                : root.putObject("registries");
        ObjectNode entry = registries.putObject(registry.toString());
        entry.put("username", credentials.username());
        entry.put("password", credentials.password());
        write(target, root, "rw-------");
    }

    /**
     * Makes {@code registry} the default ({@code registry:} in the config file, other keys kept), so later commands
     * need no {@code --registry}; {@code bpfstore login --registry URL} calls this.
     */
    public void saveDefaultRegistry(URI registry) throws IOException {
        JsonNode existing = read(file);
        ObjectNode root = existing.isObject() ? (ObjectNode) existing.deepCopy() : YAML.createObjectNode();
        root.put("registry", registry.toString());
        write(file.toAbsolutePath(), root, "rw-r--r--");
    }

    /** Replaces {@code target} with {@code root} as YAML, atomically, created with {@code mode}. */
    private static void write(Path target, ObjectNode root, String mode) throws IOException {
        replace(target, YAML.writeValueAsBytes(root), mode);
    }

    /** Replaces {@code target} with {@code bytes}, atomically (a temporary file renamed over it), created with {@code mode}. */
    static void replace(Path target, byte[] bytes, String mode) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path temp = Files.createTempFile(dir, ".bpfstore-", ".yaml",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        try {
            Files.write(temp, bytes);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static JsonNode read(Path path) {
        if (!Files.exists(path)) {
            return YAML.createObjectNode();
        }
        try {
            if (Files.size(path) > MAX_FILE) {
                throw new ConfigException(path.toString(), "larger than " + MAX_FILE + " bytes");
            }
            JsonNode root = YAML.readTree(Files.readAllBytes(path));
            if (root == null || root.isMissingNode() || root.isNull()) {
                return YAML.createObjectNode();
            }
            if (!root.isObject()) {
                throw new ConfigException(path.toString(), "not a YAML mapping");
            }
            return root;
        } catch (JacksonException e) {
            throw new ConfigException(path.toString(), "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(path.toString(), "cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException(path.toString(), "refused: " + e.getMessage());
        }
    }
}
