package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.helpers.Helper;
import io.bpfstore.bytecode.helpers.HelperCatalog;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tracing programs that change what they trace. Two packages overriding one kernel function's return value
 * ({@code bpf_override_return} from a kprobe, or an {@code fmod_ret} program) cannot both have their way: the one
 * that runs last decides what the caller sees, and the other's override is lost — an error. Two packages writing user
 * memory ({@code bpf_probe_write_user}) from the same function or tracepoint write into the same process at the same
 * moment, and the last write wins — a warning, as they may write different bytes.
 */
final class TracingCheck {
    private static final int OVERRIDE_RETURN = helper("bpf_override_return");
    private static final int WRITE_USER = helper("bpf_probe_write_user");

    private TracingCheck() {
    }

    private static int helper(String name) {
        return HelperCatalog.bundled().byName(name).map(Helper::id)
                .orElseThrow(() -> new IllegalStateException("the helper catalog lacks " + name));
    }

    /** What a tracing program does to its target, and which target. */
    private record Effect(CheckedPackage pkg, Program program, Target target, boolean overrides, boolean writesUser) {
    }

    /**
     * A traced point.
     *
     * @param kind "kernel function", "tracepoint" or "system call"
     * @param name its name
     */
    private record Target(String kind, String name) {
    }

    /** Errors for overrides of one function by two packages, warnings for user-memory writes from one target. */
    static List<Finding> check(List<CheckedPackage> packages) {
        List<Effect> effects = new ArrayList<>();
        for (CheckedPackage pkg : packages) {
            for (Program p : pkg.object().programs()) {
                Optional<Target> target = target(p);
                if (target.isEmpty()) {
                    continue;
                }
                boolean overrides = p.helperIds().contains(OVERRIDE_RETURN)
                        || p.attachType().filter(a -> a == AttachType.MODIFY_RETURN).isPresent();
                boolean writes = p.helperIds().contains(WRITE_USER);
                if (overrides || writes) {
                    effects.add(new Effect(pkg, p, target.get(), overrides, writes));
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        for (int i = 0; i < effects.size(); i++) {
            for (int j = i + 1; j < effects.size(); j++) {
                Effect a = effects.get(i), b = effects.get(j);
                if (a.pkg() == b.pkg() || !a.target().equals(b.target())) {
                    continue;
                }
                List<Subject> subjects = List.of(new Subject.PackageRef(a.pkg().name()),
                        new Subject.ProgramRef(a.pkg().name(), a.program().name()),
                        new Subject.PackageRef(b.pkg().name()),
                        new Subject.ProgramRef(b.pkg().name(), b.program().name()),
                        new Subject.AttachPoint(a.target().kind(), a.target().name()));
                String first = a.program().name() + " of " + a.pkg().name();
                String second = b.program().name() + " of " + b.pkg().name();
                if (a.overrides() && b.overrides()) {
                    out.add(new Finding(FindingClass.TRACING, Severity.ERROR, subjects,
                            "both " + first + " (" + how(a) + ") and " + second + " (" + how(b) + ") override "
                                    + "the return value of " + a.target().kind() + " " + a.target().name()
                                    + "; only the override that runs last reaches the caller, so one package's "
                                    + "fault injection or policy is silently lost",
                            "install only one package that overrides " + a.target().name()));
                } else if (a.writesUser() && b.writesUser()) {
                    out.add(new Finding(FindingClass.TRACING, Severity.WARNING, subjects,
                            "both " + first + " and " + second + " write user memory (bpf_probe_write_user) from "
                                    + a.target().kind() + " " + a.target().name() + ", so into the same process at "
                                    + "the same moment; where they write the same bytes the last write wins",
                            "check that they write different memory, or install only one"));
                }
            }
        }
        return out;
    }

    private static String how(Effect e) {
        return e.program().attachType().filter(t -> t == AttachType.MODIFY_RETURN).isPresent() ? "fmod_ret"
                : "bpf_override_return";
    }

    /** The function, tracepoint or system call a tracing program's section names. */
    private static Optional<Target> target(Program p) {
        Optional<ProgramType> type = p.type();
        Optional<String> name = p.attachTarget().map(t -> t.replaceFirst("[+:].*$", ""));
        if (type.isEmpty() || name.isEmpty()) {
            return Optional.empty();
        }
        String section = p.section();
        return switch (type.get()) {
            case KPROBE -> section.startsWith("ksyscall") || section.startsWith("kretsyscall")
                    ? Optional.of(new Target("system call", name.get()))
                    : section.startsWith("kprobe") || section.startsWith("kretprobe")
                    ? Optional.of(new Target("kernel function", name.get())) : Optional.empty();
            case TRACING, LSM -> Optional.of(new Target(type.get() == ProgramType.LSM ? "LSM hook" : "kernel function",
                    name.get()));
            case TRACEPOINT, RAW_TRACEPOINT, RAW_TRACEPOINT_WRITABLE -> Optional.of(new Target("tracepoint",
                    name.get()));
            default -> Optional.empty();
        };
    }
}
