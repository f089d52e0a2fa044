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
 * {@code bpfstore data NAME [--map MAP] [-o json]}: what an installation's maps hold, decoded with the package's BTF
 * (read in-process from the pins). JSON output is one JSON object per line (JSON lines), one per entry.
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

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> entries;
        try {
            entries = InstallationData.read(place.service(spec.commandLine().getErr()).observe(name).status(),
                    Optional.ofNullable(map));
        } catch (DataException e) {
            throw new UserError(e.getMessage(), e);
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
