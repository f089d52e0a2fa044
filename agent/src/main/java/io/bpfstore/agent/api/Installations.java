package io.bpfstore.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The installation family as the CLI uses it, answered either by the agent over its socket
 * ({@code io.bpfstore.agent.client.AgentClient}) or in this process ({@code io.bpfstore.agent.local.LocalInstallations},
 * which the agent itself serves). Results are the API's JSON documents (see docs/agent-api.yaml), so both paths
 * print the same thing.
 *
 * @throws ApiException from every method, for a refusal (status and one-line message)
 */
public interface Installations {
    /** {@code {"installations": [...], "recovered": [...]}}. */
    JsonNode list();

    /** One installation with its kernel objects ({@code status}). */
    JsonNode status(String name);

    /** Installs; {@code {"installation": ..., "warnings": [...], "order": [...]}}. */
    JsonNode install(InstallBody body);

    /** Upgrades; {@code {"installation": ..., "previous_version": ..., "order": [...]}}. */
    JsonNode upgrade(String name, UpgradeBody body);

    /** Uninstalls; {@code {"uninstalled": NAME}}. */
    JsonNode uninstall(String name);

    /** {@code {"problems": [...], "repaired": [...]}}. */
    JsonNode doctor(boolean repair);

    /** Lines of what recovery finished or rolled back when the installations were opened for the last call. */
    default List<String> recovered(JsonNode result) {
        return result.path("recovered").valueStream().map(JsonNode::asText).toList();
    }
}
