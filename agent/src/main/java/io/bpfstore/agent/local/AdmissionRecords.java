package io.bpfstore.agent.local;

import com.fasterxml.jackson.core.type.TypeReference;
import io.bpfstore.agent.api.AgentJson;
import io.bpfstore.install.api.Trust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How each installation was admitted (registry, keys, unsigned allowed, policy file), kept in {@code admitted.json}
 * beside the state database so restore re-runs the host policy with the same options the installing admin gave.
 */
final class AdmissionRecords {
    private final Path file;
    private final Map<String, Trust> records = new LinkedHashMap<>();

    AdmissionRecords(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try {
                records.putAll(AgentJson.mapper().readValue(file.toFile(),
                        new TypeReference<Map<String, Trust>>() { }));
            } catch (IOException e) {
                throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    synchronized Trust get(String id) {
        return records.getOrDefault(id, Trust.defaults());
    }

    synchronized void put(String id, Trust trust) {
        if (!trust.equals(records.put(id, trust))) { // an upgrade with the same options changes nothing
            save();
        }
    }

    synchronized void remove(String id) {
        if (records.remove(id) != null) {
            save();
        }
    }

    private void save() {
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            AgentJson.mapper().writeValue(temp.toFile(), records);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("write " + file + ": " + e.getMessage(), e);
        }
    }
}
