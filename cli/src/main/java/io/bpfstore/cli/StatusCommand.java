package io.bpfstore.cli;

import io.bpfstore.install.api.InstallationView;
import io.bpfstore.install.api.ObjectState;
import io.bpfstore.install.api.StatusResult;
import io.bpfstore.kernel.RunStatistics;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bpfstore status NAME}: an installation's programs, links and maps as the kernel reports them now. */
@Command(name = "status", description = "Show an installation's programs, links, maps and run statistics.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    InstallPlace place;

    @Parameters(paramLabel = "NAME", description = "installation name")
    String name;

    @Mixin
    OutputOption output;

    @Option(names = "--window", paramLabel = "DURATION", description = "how long to watch the run counters for the "
            + "run rates (runs/s, ns a run), e.g. 500ms, 2s; 0 shows no rates (default: ${DEFAULT-VALUE})")
    String window = "1s";

    /**
     * Runs a second and nanoseconds a run of {@code now} since the same object in {@code before} ({@code seconds}
     * earlier): empty for maps, objects not in both samples, or when the kernel's id changed in between. The
     * nanoseconds are NaN when unknown: no runs, or runs counted without their time (a member of a composed XDP
     * dispatcher, whose own counter counts runs only).
     */
    static java.util.Optional<double[]> rate(StatusResult before, ObjectState now, double seconds) {
        if (seconds <= 0 || now.id() == 0 || now.kind() == io.bpfstore.install.api.ObjectKind.MAP) {
            return java.util.Optional.empty();
        }
        return before.objects().stream().filter(o -> o.kind() == now.kind() && o.name().equals(now.name())
                && o.id() == now.id() && o != now).findFirst().map(o -> {
                    long runs = now.runCount() - o.runCount();
                    long ns = now.runTimeNanos() - o.runTimeNanos();
                    return new double[] {runs / seconds, runs == 0 || ns == 0 ? Double.NaN : (double) ns / runs};
                });
    }

    /** {@code --window}: {@code 0}, {@code 250ms}, {@code 2s}; at most a minute. */
    static long windowMillis(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})(ms|s)?").matcher(text.strip());
        if (!m.matches() || (m.group(2) == null && !m.group(1).equals("0"))) {
            throw UserError.usage("--window: expected a duration such as 500ms or 2s, got \"" + text + "\"");
        }
        long millis = Long.parseLong(m.group(1)) * ("s".equals(m.group(2)) ? 1000 : 1);
        if (millis > 60_000) {
            throw UserError.usage("--window: " + text + " is longer than a minute");
        }
        return millis;
    }

    @Override
    public Integer call() {
        PrintWriter out = output.out();
        long windowMillis = windowMillis(window);
        var installations = place.installations(output.err());
        StatusResult first = installations.status(name);
        long started = System.nanoTime();
        StatusResult s = first;
        if (windowMillis > 0) {
            try {
                Thread.sleep(windowMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            s = installations.status(name);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (output.json()) {
            StatusResult last = s;
            Json.write(out, g -> {
                g.writeStartObject();
                ListCommand.fields(g, last.installation());
                g.writeArrayFieldStart("objects");
                for (ObjectState o : last.objects()) {
                    g.writeStartObject();
                    g.writeStringField("kind", o.kind().label());
                    g.writeStringField("name", o.name());
                    g.writeStringField("pin", o.pin());
                    g.writeBooleanField("alive", o.alive());
                    g.writeNumberField("id", o.id());
                    g.writeStringField("detail", o.detail());
                    g.writeNumberField("run_count", o.runCount());
                    g.writeNumberField("run_time_ns", o.runTimeNanos());
                    var r = rate(first, o, seconds);
                    if (r.isPresent()) {
                        g.writeNumberField("runs_per_second", r.get()[0]);
                        if (!Double.isNaN(r.get()[1])) {
                            g.writeNumberField("ns_per_run", r.get()[1]);
                        }
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                if (windowMillis > 0) {
                    g.writeNumberField("rate_window_seconds", seconds);
                }
                var counting = RunStatistics.counting();
                if (counting.isPresent()) {
                    g.writeBooleanField("run_statistics", counting.get());
                }
                g.writeEndObject();
            });
        } else {
            InstallationView i = s.installation();
            Terminal.printf(out, "%s: %s %s on %s, priority %d%s%s%n", i.name(), i.repository(), i.version(), i.target(),
                    i.priority(), i.proceedOn().isEmpty() ? "" : ", proceed on " + String.join(",", i.proceedOn()),
                    i.forced() ? " (forced)" : "");
            Table table = new Table("KIND", "NAME", "ID", "STATE", "RUNS", "RUN_NS", "RUNS/S", "NS/RUN", "DETAIL");
            for (ObjectState o : s.objects()) {
                var r = rate(first, o, seconds);
                table.row(o.kind().label(), o.name(), Integer.toString(o.id()), o.alive() ? "ok" : "GONE",
                        Long.toString(o.runCount()), Long.toString(o.runTimeNanos()),
                        r.map(x -> String.format(java.util.Locale.ROOT, "%.1f", x[0])).orElse("-"),
                        r.map(x -> Double.isNaN(x[1]) ? "-" : String.format(java.util.Locale.ROOT, "%.0f", x[1])).orElse("-"),
                        o.detail());
            }
            table.print(out);
            if (!RunStatistics.counting().orElse(true)) {
                // a composed XDP member's RUNS come from its dispatcher's own counter, with statistics on or off
                out.println((s.objects().stream().allMatch(o -> o.runCount() == 0) ? "RUNS and RUN_NS stay 0"
                        : "RUN_NS stays 0, and RUNS but for a composed XDP member's (its dispatcher counts them)")
                        + ": the kernel counts runs only while statistics are on; turn them on with: "
                        + RunStatistics.HOW_TO_ENABLE);
            }
            if (windowMillis > 0) {
                Terminal.printf(out, "RUNS/S and NS/RUN: over the last %.1f s (run_cnt and run_time_ns read twice)%n",
                        seconds);
            }
        }
        out.flush();
        return 0;
    }
}
