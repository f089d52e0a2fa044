package io.bpfstore.cli;

import io.bpfstore.analysis.clash.CheckedPackage;
import io.bpfstore.analysis.clash.ClashReport;
import io.bpfstore.analysis.clash.Finding;
import io.bpfstore.analysis.clash.FindingClass;
import io.bpfstore.analysis.clash.Subject;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.vm.Compiler;
import io.bpfstore.vm.capture.CaptureException;
import io.bpfstore.vm.capture.CaptureReader;
import io.bpfstore.vm.capture.CapturedPacket;
import io.bpfstore.vm.replay.Evidence;
import io.bpfstore.vm.replay.Hook;
import io.bpfstore.vm.replay.Replay;
import io.bpfstore.vm.replay.ReplayException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code check --replay}: the first packets of a capture that show each semantic finding between two checked
 * packet programs, found by replaying them in the VM ({@link Evidence}).
 */
final class CheckEvidence {
    /** Packets shown per finding. */
    static final int SHOWN = 5;

    private CheckEvidence() {
    }

    /** Evidence per finding that names two checked packet programs (hidden traffic or overwritten bytes). */
    static Map<Finding, List<Integer>> find(ClashReport report, List<CheckedPackage> checked, Path capture) throws IOException {
        List<CapturedPacket> packets;
        try {
            packets = CaptureReader.read(capture);
        } catch (CaptureException e) {
            throw new UserError("--replay: " + e.getMessage());
        }
        Map<Finding, List<Integer>> out = new LinkedHashMap<>();
        for (Finding f : report.findings()) {
            boolean hidden = f.findingClass() == FindingClass.SEMANTIC_OVERLAP;
            if (!hidden && f.findingClass() != FindingClass.WRITE_CONFLICT) {
                continue;
            }
            List<Subject.ProgramRef> programs = f.subjects(Subject.ProgramRef.class);
            if (programs.size() < 2) {
                continue;
            }
            int a = index(checked, programs.get(0).pkg());
            int b = index(checked, programs.get(1).pkg());
            if (a < 0 || b < 0 || a == b) {
                continue;
            }
            Subject.ProgramRef earlier = programs.get(a < b ? 0 : 1);
            Subject.ProgramRef later = programs.get(a < b ? 1 : 0);
            CheckedPackage first = checked.get(Math.min(a, b));
            CheckedPackage second = checked.get(Math.max(a, b));
            ProgramType type = second.object().program(later.name()).flatMap(p -> p.type()).orElse(null);
            Hook hook = type == ProgramType.XDP ? Hook.XDP : type == ProgramType.SCHED_CLS ? Hook.TC_INGRESS : null;
            if (hook == null) {
                continue;
            }
            Replay.Member e = member(first, earlier.name(), hook);
            Replay.Member l = member(second, later.name(), hook);
            try {
                out.put(f, hidden ? Evidence.hiddenTraffic(e, l, packets, new Compiler(), hook, SHOWN)
                        : Evidence.overwritten(e, l, packets, new Compiler(), hook, SHOWN));
            } catch (ReplayException ex) {
                throw new UserError("--replay: " + ex.getMessage());
            }
        }
        return out;
    }

    private static Replay.Member member(CheckedPackage p, String program, Hook hook) {
        Replay.Member m = Replay.Member.of(p.name(), p.object(), hook);
        return new Replay.Member(m.name(), m.object(), program, m.proceedOn());
    }

    private static int index(List<CheckedPackage> checked, String name) {
        for (int i = 0; i < checked.size(); i++) {
            if (checked.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The evidence as text lines after the report. */
    static void print(PrintWriter out, ClashReport report, Map<Finding, List<Integer>> evidence, Path capture) {
        if (capture == null) {
            return;
        }
        out.println();
        out.println("Evidence from " + capture + " (first " + SHOWN + " packets, numbered from 0):");
        if (evidence.isEmpty()) {
            out.println("  no finding between two packet programs to replay");
        }
        for (int i = 0; i < report.findings().size(); i++) {
            List<Integer> packets = evidence.get(report.findings().get(i));
            if (packets != null) {
                out.println("  finding " + (i + 1) + " (" + report.findings().get(i).findingClass().label() + "): "
                        + (packets.isEmpty() ? "no packet of the capture shows it" : "packets " + packets));
            }
        }
    }
}
