package io.bpfstore.cli;

import io.bpfstore.agent.api.ApiException;
import io.bpfstore.agent.client.AgentClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bpfstore unfollow NAME}: removes an installation's follow rule (needs the agent). */
@Command(name = "unfollow", description = "Stop following registry versions for an installation.")
final class UnfollowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "installation name")
    String name;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        try {
            new AgentClient(AgentClient.socket(System.getenv())).unfollow(name);
        } catch (ApiException e) {
            throw new UserError(e.getMessage());
        }
        return output.print(spec.commandLine().getOut(), java.util.Map.of("unfollowed", name),
                o -> Terminal.println(o, "unfollowed " + name));
    }
}
