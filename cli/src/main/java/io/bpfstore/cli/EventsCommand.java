package io.bpfstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bpfstore events [NAME] [--follow] [-o json]}: what the agent saw and did (needs the agent). */
@Command(name = "events", description = "Show the agent's events (installs, restores, follow, foreign programs); --follow streams them.")
final class EventsCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "only this installation's events")
    String name;

    @Option(names = {"-f", "--follow"}, description = "keep printing events as they happen")
    boolean follow;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        PrintWriter out = output.out();
        ResidentAgent.call(agent -> {
            agent.events(follow, Optional.ofNullable(name), e -> {
                if (output.json()) {
                    out.println(e.toString());
                } else {
                    Terminal.println(out, text(e));
                }
                out.flush();
            });
            return null;
        });
        return 0;
    }

    private static String text(JsonNode e) {
        return e.path("time").asText() + " " + e.path("kind").asText()
                + (e.has("installation") ? " " + e.path("installation").asText() : "") + ": " + e.path("message").asText();
    }
}
