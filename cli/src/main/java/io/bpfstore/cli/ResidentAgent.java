package io.bpfstore.cli;

import io.bpfstore.agent.api.ApiException;
import io.bpfstore.agent.client.AgentClient;
import java.util.function.Function;

/**
 * The commands that exist only through the resident agent ({@code events}, {@code follow}, {@code unfollow}) reach it
 * here: at BPFSTORE_AGENT_SOCKET, else /run/bpfstore/agent.sock.
 */
final class ResidentAgent {
    private ResidentAgent() {
    }

    /**
     * What {@code call} returns from the agent. Its refusals, and an agent that does not answer, are the user's to
     * fix (start the agent, name an installation it has): one-line errors with status 1.
     */
    static <T> T call(Function<AgentClient, T> call) {
        try {
            return call.apply(new AgentClient(AgentClient.socket(System.getenv())));
        } catch (ApiException e) {
            throw new UserError(e.getMessage());
        }
    }
}
