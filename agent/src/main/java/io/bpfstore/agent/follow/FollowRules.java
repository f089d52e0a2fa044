package io.bpfstore.agent.follow;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.agent.api.AgentJson;
import io.bpfstore.agent.api.ApiException;
import io.bpfstore.agent.api.FollowRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The follow rules, one per installation, kept in {@code follow.json} in the state directory (written to a
 * temporary file and renamed, so a crash leaves the old or the new rules, never half of them).
 */
public final class FollowRules {
    private final Path file;
    private final Predicate<String> installed;
    private final Map<String, FollowRule> rules = new LinkedHashMap<>();

    /**
     * The rules in {@code file}.
     *
     * @param installed whether an installation of that name exists (a rule needs one)
     */
    public FollowRules(Path file, Predicate<String> installed) {
        this.file = file;
        this.installed = installed;
        if (Files.exists(file)) {
            try {
                List<FollowRule> read = AgentJson.mapper().readValue(file.toFile(), new TypeReference<List<FollowRule>>() { });
                read.forEach(r -> rules.put(r.installation(), r));
            } catch (IOException e) {
                throw new UncheckedIOException("read follow rules " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Adds or replaces the rule for {@code name} (a changed rule forgets an earlier refusal).
     *
     * @throws ApiException 404 if {@code name} is not installed, 400 if the range is malformed
     */
    public synchronized JsonNode put(String name, FollowRule body) {
        if (body.installation() != null && !body.installation().equals(name)) {
            throw new ApiException(400, "the rule names installation " + body.installation() + " but the path " + name);
        }
        if (!installed.test(name)) {
            throw new ApiException(404, name + " is not installed: install it first, then follow it");
        }
        try {
            new VersionRange(body.versions());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        FollowRule rule = new FollowRule(name, body.versions(), body.intervalSeconds(), body.trust(), null, null, null);
        rules.put(name, rule);
        save();
        return AgentJson.mapper().valueToTree(rule);
    }

    /** Updates the rule for {@code name} (refusal, last poll) if it still exists. */
    public synchronized void update(String name, java.util.function.UnaryOperator<FollowRule> change) {
        FollowRule now = rules.get(name);
        if (now != null) {
            rules.put(name, change.apply(now));
            save();
        }
    }

    /** Removes the rule for {@code name}; whether there was one. */
    public synchronized boolean remove(String name) {
        boolean had = rules.remove(name) != null;
        if (had) {
            save();
        }
        return had;
    }

    /** The rule for {@code name}. */
    public synchronized Optional<FollowRule> get(String name) {
        return Optional.ofNullable(rules.get(name));
    }

    /** Every rule. */
    public synchronized List<FollowRule> all() {
        return List.copyOf(rules.values());
    }

    /** {@code {"rules": [...]}}. */
    public JsonNode listJson() {
        ObjectNode n = AgentJson.mapper().createObjectNode();
        ArrayNode array = n.putArray("rules");
        all().forEach(r -> array.add(AgentJson.mapper().<JsonNode>valueToTree(r)));
        return n;
    }

    private void save() {
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            AgentJson.mapper().writeValue(temp.toFile(), new ArrayList<>(rules.values()));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("write follow rules " + file + ": " + e.getMessage(), e);
        }
    }
}
