package io.bpfstore.store.manifest;

import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;

/**
 * A program's type as bpfman spells it in the {@code io.ebpf.programs} label ({@code xdp}, {@code tc},
 * {@code tcx}, {@code tracepoint}, {@code kprobe}, {@code uprobe}, {@code fentry}, {@code fexit}); for types
 * bpfman lacks, bpftool's name of the kernel program type.
 */
public final class ProgramKind {
    private ProgramKind() {
    }

    /** The bpfman-style name of {@code program}'s type; {@code unknown} when libbpf would not know its section. */
    public static String of(Program program) {
        if (program.type().isEmpty()) {
            return "unknown";
        }
        ProgramType type = program.type().get();
        AttachType attach = program.attachType().orElse(null);
        String section = program.section();
        return switch (type) {
            case XDP -> "xdp";
            case SCHED_CLS -> attach == AttachType.TCX_INGRESS || attach == AttachType.TCX_EGRESS ? "tcx" : "tc";
            case TRACEPOINT -> "tracepoint";
            case KPROBE -> section.startsWith("uprobe") || section.startsWith("uretprobe")
                    || attach == AttachType.TRACE_UPROBE_MULTI ? "uprobe" : "kprobe";
            case TRACING -> attach == AttachType.TRACE_FENTRY ? "fentry"
                    : attach == AttachType.TRACE_FEXIT ? "fexit" : type.bpftoolName();
            default -> type.bpftoolName();
        };
    }
}
