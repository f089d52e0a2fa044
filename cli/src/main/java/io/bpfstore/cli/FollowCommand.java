package io.bpfstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.agent.api.FollowRule;
import io.bpfstore.agent.client.AgentClient;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfstore follow NAME [--versions RANGE] [--interval DURATION]} and {@code follow --list}: the agent keeps
 * the installation at the newest registry version in RANGE, through install's gates (needs the agent).
 */
@Command(name = "follow", description = "Have the agent keep an installation at the newest matching registry version (--list shows the rules).")
final class FollowCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "installation name (or NS/NAME: its package's name)")
    String name;

    @Option(names = "--versions", paramLabel = "RANGE", description = "versions to follow: *, 1.x, ^1.2.0, ~1.2.0, >=1.2.0 <2.0.0 (default: *)")
    String versions;

    @Option(names = "--interval", paramLabel = "DURATION", description = "time between registry polls: 30s, 5m, 1h (default: 1m)")
    String interval = "1m";

    @Option(names = "--list", description = "list the follow rules")
    boolean list;

    @Mixin
    PackageTrust trust;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        if (list || name == null) {
            JsonNode rules = ResidentAgent.call(AgentClient::followRules);
            return output.print(rules, out -> {
                Table table = new Table("NAME", "VERSIONS", "INTERVAL", "LAST_CHECKED", "REFUSED");
                for (JsonNode r : rules.path("rules")) {
                    table.row(r.path("installation").asText(), r.path("versions").asText(),
                            r.path("interval_seconds").asText() + "s", r.path("last_checked").asText("-"),
                            r.has("refused_version") ? r.path("refused_version").asText() + ": "
                                    + r.path("refused_reason").asText() : "-");
                }
                table.print(out);
            });
        }
        String id = name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
        JsonNode rule = ResidentAgent.call(agent -> agent.follow(id, new FollowRule(id, versions, seconds(interval),
                trust.trust(), null, null, null)));
        return output.print(rule, out -> Terminal.printf(out, "following %s: versions %s, every %ss%n", id,
                rule.path("versions").asText(), rule.path("interval_seconds").asText()));
    }

    /** {@code 30s}, {@code 5m}, {@code 1h}, or an ISO-8601 duration, in seconds. */
    static long seconds(String text) {
        try {
            String t = text.strip().toLowerCase(java.util.Locale.ROOT);
            Duration d = t.startsWith("p") ? Duration.parse(t.toUpperCase(java.util.Locale.ROOT))
                    : Duration.parse("PT" + t.toUpperCase(java.util.Locale.ROOT));
            if (d.toSeconds() < 1) {
                throw new UserError("--interval " + text + ": at least 1s");
            }
            return d.toSeconds();
        } catch (DateTimeParseException e) {
            throw new UserError("--interval " + text + ": use a duration such as 30s, 5m or 1h");
        }
    }
}
