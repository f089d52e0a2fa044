package io.bpfstore.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bpfstore unfollow NAME}: removes an installation's follow rule (needs the agent). */
@Command(name = "unfollow", description = "Stop following registry versions for an installation.")
final class UnfollowCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "installation name")
    String name;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        ResidentAgent.call(agent -> agent.unfollow(name));
        return output.print(java.util.Map.of("unfollowed", name), o -> Terminal.println(o, "unfollowed " + name));
    }
}
