package io.bpfstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.install.api.InstallationView;
import io.bpfstore.install.api.ObjectState;
import io.bpfstore.install.api.StatusResult;
import io.bpfstore.kernel.RunStatistics;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bpfstore status NAME}: an installation's programs, links and maps as the kernel reports them now. */
@Command(name = "status", description = "Show an installation's programs, links, maps and run statistics.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InstallPlace place;

    @Parameters(paramLabel = "NAME", description = "installation name")
    String name;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        StatusResult s = place.installations(spec.commandLine().getErr()).status(name);
        if (output.json()) {
            ObjectNode n = ListCommand.toJson(s.installation());
            ArrayNode array = n.putArray("objects");
            for (ObjectState o : s.objects()) {
                ObjectNode j = array.addObject();
                j.put("kind", o.kind().label());
                j.put("name", o.name());
                j.put("pin", o.pin());
                j.put("alive", o.alive());
                j.put("id", o.id());
                j.put("detail", o.detail());
                j.put("run_count", o.runCount());
                j.put("run_time_ns", o.runTimeNanos());
            }
            RunStatistics.counting().ifPresent(on -> n.put("run_statistics", on));
            Json.print(out, n);
        } else {
            InstallationView i = s.installation();
            Terminal.printf(out, "%s: %s %s on %s, priority %d%s%s%n", i.name(), i.repository(), i.version(), i.target(),
                    i.priority(), i.proceedOn().isEmpty() ? "" : ", proceed on " + String.join(",", i.proceedOn()),
                    i.forced() ? " (forced)" : "");
            Table table = new Table("KIND", "NAME", "ID", "STATE", "RUNS", "RUN_NS", "DETAIL");
            for (ObjectState o : s.objects()) {
                table.row(o.kind().label(), o.name(), Integer.toString(o.id()), o.alive() ? "ok" : "GONE",
                        Long.toString(o.runCount()), Long.toString(o.runTimeNanos()), o.detail());
            }
            table.print(out);
            if (!RunStatistics.counting().orElse(true)) {
                out.println("RUNS and RUN_NS stay 0: the kernel counts runs only while statistics are on; turn them on"
                        + " with: " + RunStatistics.HOW_TO_ENABLE);
            }
        }
        out.flush();
        return 0;
    }
}
