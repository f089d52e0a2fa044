package io.bpfstore.cli;

import io.bpfstore.bytecode.Reportable;
import io.bpfstore.install.api.DoctorResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bpfstore doctor [--repair]}: pins without an installation record, and records whose kernel objects are
 * gone. Exit 0 when everything agrees (or was repaired), 2 when problems remain.
 */
@Command(name = "doctor", description = "Find (and with --repair remove) orphaned pins and dead installation records.")
final class DoctorCommand implements Callable<Integer> {
    /** Exit status when problems were found and not repaired. */
    static final int PROBLEMS = Reportable.FINDINGS;

    @Mixin
    InstallPlace place;

    @Option(names = "--repair", description = "remove orphaned pins and the records of installations whose objects are gone")
    boolean repair;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        PrintWriter out = output.out();
        DoctorResult report = place.installations(output.err()).doctor(repair);
        if (output.json()) {
            Json.print(out, java.util.Map.of("problems", report.problems(), "repaired", report.repaired()));
            return report.problems().isEmpty() || repair ? 0 : PROBLEMS;
        }
        report.problems().forEach(p -> Terminal.println(out, "problem: " + p));
        report.repaired().forEach(r -> Terminal.println(out, "repaired: " + r));
        if (report.problems().isEmpty()) {
            out.println("ok: bpffs, kernel and state database agree");
        }
        out.flush();
        return report.problems().isEmpty() || repair ? 0 : PROBLEMS;
    }
}
