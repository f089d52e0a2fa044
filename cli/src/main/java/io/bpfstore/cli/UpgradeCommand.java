package io.bpfstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.agent.api.InstallBody;
import io.bpfstore.agent.api.UpgradeBody;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bpfstore upgrade NAME[@VERSION] [--from SOURCE] [--reset-maps]}: replaces an installation's package
 * atomically (new generation loaded beside the old, links swapped, maps carried over); through the agent when it runs.
 */
@Command(name = "upgrade", description = "Upgrade an installation atomically, keeping compatible map contents.")
final class UpgradeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InstallPlace place;

    @Parameters(paramLabel = "NAME", description = "installation name, optionally @VERSION (default: the latest)")
    String name;

    @Option(names = "--from", paramLabel = "SOURCE",
            description = "the new package: registry reference, layout directory or .o file (default: the installation's registry package at VERSION)")
    String from;

    @Option(names = "--reset-maps", description = "start maps whose definition changed empty instead of refusing")
    boolean resetMaps;

    @Mixin
    PackageTrust trust;

    @Override
    public Integer call() {
        int at = name.indexOf('@');
        String id = at < 0 ? name : name.substring(0, at);
        InstallBody.Trust t = trust.trust();
        UpgradeBody body = new UpgradeBody(at < 0 ? null : name.substring(at + 1), InstallFamily.absolute(from),
                resetMaps, t.registry(), t.keys(), t.allowUnsigned(), t.policy());
        JsonNode done = InstallFamily.run(place, spec.commandLine().getErr(), in -> in.upgrade(id, body));
        List<String> order = done.path("order").valueStream().map(JsonNode::asText).toList();
        spec.commandLine().getOut().printf("upgraded %s from %s to %s%s%n", id, done.path("previous_version").asText(),
                done.path("installation").path("version").asText(), order.size() > 1
                        ? " (run order " + String.join(" > ", order) + ")" : "");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
