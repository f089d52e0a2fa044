package io.bpfstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.agent.api.ApiException;
import io.bpfstore.agent.client.AgentClient;
import io.bpfstore.agent.data.DataException;
import io.bpfstore.agent.data.InstallationData;
import io.bpfstore.install.InstallationStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bpfstore data NAME [--map MAP] [--follow] [-o json]}: what an installation's maps hold, decoded with the
 * package's BTF; with {@code --follow}, its ring buffers' and perf event arrays' records as programs write them.
 * Through the agent when it answers (it holds the pins; {@code GET /v1/installations/NAME/data}), else in this
 * process from the pins — both are {@link InstallationData}'s JSON objects. JSON output is one JSON object per line.
 */
@Command(name = "data", description = "Print an installation's map contents, decoded with the package's BTF; "
        + "--follow streams ring buffer and perf event array records.")
final class DataCommand implements Callable<Integer> {
    private static final ObjectMapper LINES = new ObjectMapper();
    /** How long one in-process wait for records lasts before stdout is checked. */
    private static final Duration WAIT = Duration.ofMillis(500);

    @Spec
    CommandSpec spec;

    @Mixin
    InstallPlace place;

    @Parameters(paramLabel = "NAME", description = "installation name")
    String name;

    @Option(names = "--map", paramLabel = "MAP", description = "only this map")
    String map;

    @Mixin
    OutputOption output;

    @Option(names = "--follow", description = "stream the records of the installation's ring buffers and perf event "
            + "arrays (or --map's) as programs write them, until interrupted; -o json prints one JSON object per record")
    boolean follow;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<AgentClient> agent = place.agent();
        if (agent.isPresent()) {
            try {
                agent.get().data(name, Optional.ofNullable(map), follow, line -> print(out, line));
            } catch (ApiException e) {
                throw new UserError(e.getMessage(), e);
            }
        } else {
            inProcess(out);
        }
        return 0;
    }

    /** From the pins, in this process (kept apart so that the agent's client path loads none of it). */
    private void inProcess(PrintWriter out) {
        try {
            InstallationStatus status = place.service(spec.commandLine().getErr()).observe(name).status();
            if (follow) { // the state lock is released: following may last for hours
                InstallationData.follow(status, Optional.ofNullable(map), r -> print(out, LINES.valueToTree(r)),
                        out::checkError, WAIT);
            } else {
                InstallationData.read(status, Optional.ofNullable(map)).forEach(e -> print(out, LINES.valueToTree(e)));
            }
        } catch (DataException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /**
     * One entry or record: JSON as it is, or text: {@code MAP KEY = VALUE} for an entry, {@code MAP [cpu N] RECORD}
     * for a record, {@code MAP cpu N: lost K records} for a loss, and a record's note on a line of its own first.
     */
    private void print(PrintWriter out, JsonNode line) {
        if (output.json()) {
            out.println(line.toString());
        } else {
            String map = line.path("map").asText();
            String cpu = line.has("cpu") ? " cpu " + line.path("cpu").asInt() : "";
            if (line.has("note")) {
                Terminal.println(out, map + ": " + line.path("note").asText());
            }
            if (line.has("lost")) {
                Terminal.println(out, map + cpu + ": lost " + line.path("lost").asLong() + " records (the perf buffer was full)");
            } else if (line.has("record")) {
                Terminal.println(out, map + cpu + " " + line.path("record"));
            } else {
                Terminal.println(out, map + " " + line.path("key") + " = " + line.path("value"));
            }
        }
        out.flush();
        if (out.checkError()) {
            throw new UserError("bpfstore data: the output was closed");
        }
    }
}
