package io.bpfstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.agent.api.ApiException;
import io.bpfstore.agent.api.Installations;
import io.bpfstore.agent.client.AgentClient;
import io.bpfstore.agent.local.Admission;
import io.bpfstore.agent.local.LocalInstallations;
import io.bpfstore.install.PausePoints;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the installation commands run: through the agent when its socket answers ({@code BPFSTORE_AGENT_SOCKET},
 * else /run/bpfstore/agent.sock), in this process otherwise, or when {@code --no-agent}, {@code --state-dir} or
 * {@code --bpffs} is given. Both paths answer the same {@link Installations} with the same JSON, and the
 * in-process one is the code the agent itself runs.
 */
final class InstallFamily {
    private InstallFamily() {
    }

    /** Runs {@code call} on the agent or in process, recovery's lines to {@code err}, refusals as one-line errors. */
    static JsonNode run(InstallPlace place, PrintWriter err, Function<Installations, JsonNode> call) {
        Map<String, String> env = System.getenv();
        Optional<AgentClient> agent = place.inProcess() ? Optional.empty() : AgentClient.ifRunning(env);
        Installations installations = agent.isPresent() ? agent.get() : local(place, env);
        try {
            JsonNode result = call.apply(installations);
            installations.recovered(result).forEach(line -> err.println("bpfstore: " + line));
            err.flush();
            return result;
        } catch (ApiException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static Installations local(InstallPlace place, Map<String, String> env) {
        return new LocalInstallations(place.layout(), PausePoints.fromEnvironment(env), new Admission(env, Optional.empty()));
    }

    /** A local path made absolute (the agent resolves paths in its own working directory); registry names as given. */
    static String absolute(String name) {
        if (name == null) {
            return null;
        }
        String path = name.contains("@") && !Files.exists(Path.of(name)) ? name.substring(0, name.lastIndexOf('@')) : name;
        if (path.startsWith("/") || !(path.startsWith(".") || Files.exists(Path.of(path)))) {
            return name;
        }
        return Path.of(path).toAbsolutePath().normalize() + name.substring(path.length());
    }
}
