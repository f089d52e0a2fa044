package io.bpfstore.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.agent.data.DataException;
import io.bpfstore.agent.data.InstallationData;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
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
 * package's BTF (read in-process from the pins); with {@code --follow}, its ring buffers' records as they come. JSON
 * output is one JSON object per line (JSON lines), one per entry or record.
 */
@Command(name = "data", description = "Print an installation's map contents, decoded with the package's BTF.")
final class DataCommand implements Callable<Integer> {
    private static final ObjectMapper LINES = new ObjectMapper();

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

    @Option(names = "--follow", description = "stream the records of the installation's ring buffers (or --map's) as "
            + "they are submitted, until interrupted; -o json prints one JSON object per record")
    boolean follow;

    @Override
    public Integer call() throws JsonProcessingException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> entries;
        io.bpfstore.install.InstallationStatus status;
        try {
            status = place.service(spec.commandLine().getErr()).observe(name).status();
            entries = follow ? List.of() : InstallationData.read(status, Optional.ofNullable(map));
        } catch (DataException e) {
            throw new UserError(e.getMessage(), e);
        }
        if (follow) { // the state lock is released: following may last for hours
            try {
                InstallationData.follow(status, Optional.ofNullable(map), r -> {
                    try {
                        out.println(output.json() ? LINES.writeValueAsString(r)
                                : r.get("map") + " " + LINES.writeValueAsString(r.get("record")));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                    out.flush();
                }, out::checkError, java.time.Duration.ofMillis(20));
            } catch (DataException e) {
                throw new UserError(e.getMessage(), e);
            }
            return 0;
        }
        for (Map<String, Object> e : entries) {
            if (output.json()) {
                out.println(LINES.writeValueAsString(e));
            } else {
                Terminal.println(out, e.get("map") + " " + LINES.writeValueAsString(e.get("key")) + " = "
                        + LINES.writeValueAsString(e.get("value")));
            }
        }
        out.flush();
        return 0;
    }
}
