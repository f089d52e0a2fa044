package io.bpfstore.agent.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.analysis.clash.ClashReport;
import io.bpfstore.analysis.clash.Finding;
import io.bpfstore.analysis.clash.Severity;
import io.bpfstore.analysis.clash.Subject;
import java.util.Locale;

/**
 * A clash report as JSON: {@code bpfstore check -o json} prints it, and the agent's {@code POST /v1/check} answers
 * with it (plus the text lines, so the CLI prints the same text without loading the analysis code).
 */
public final class ClashJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClashJson() {
    }

    /** The report: packages, findings (class, severity, subjects, message, fix) and counts. */
    public static ObjectNode of(ClashReport report) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode pkgs = root.putArray("packages");
        report.packages().forEach(pkgs::add);
        ArrayNode findings = root.putArray("findings");
        long errors = 0;
        for (Finding f : report.findings()) {
            ObjectNode n = findings.addObject();
            n.put("class", f.findingClass().label()).put("severity", f.severity().name().toLowerCase(Locale.ROOT));
            ArrayNode subjects = n.putArray("subjects");
            for (Subject s : f.subjects()) {
                ObjectNode o = subjects.addObject();
                switch (s) {
                    case Subject.PackageRef p -> o.put("kind", "package").put("name", p.name());
                    case Subject.ProgramRef p -> o.put("kind", "program").put("package", p.pkg()).put("name", p.name());
                    case Subject.MapRef m -> o.put("kind", "map").put("package", m.pkg()).put("name", m.name());
                    case Subject.InterfaceRef i -> o.put("kind", "interface").put("name", i.name())
                            .put("netns", i.netns());
                    case Subject.ForeignProgram p -> o.put("kind", "foreign_program").put("id", p.id())
                            .put("name", p.name());
                    case Subject.ForeignMap m -> o.put("kind", "foreign_map").put("id", m.id())
                            .put("name", m.name()).put("path", m.path());
                    case Subject.Traffic t -> o.put("kind", "traffic").put("description", t.description());
                    case Subject.CgroupRef c -> o.put("kind", "cgroup").put("path", c.path()).put("hook", c.hook());
                    case Subject.AttachPoint a -> o.put("kind", "attach_point").put("point", a.kind())
                            .put("name", a.name());
                }
            }
            n.put("message", f.message()).put("fix", f.fix());
            if (f.severity() == Severity.ERROR) {
                errors++;
            }
        }
        root.put("errors", errors).put("warnings", report.findings().size() - errors);
        return root;
    }
}
