package io.bpfstore.install;

import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.kernel.link.RawTracepoint;
import io.bpfstore.kernel.link.Tracepoint;
import java.util.List;

/**
 * Tracepoints ({@code tracepoint/CATEGORY/NAME}) and raw tracepoints ({@code raw_tp/NAME}): one link per program at
 * the place its section names, side by side with any other program there.
 */
record TracingDriver() implements LinkDriver {
    /** Whether {@code type} is a tracing type bpfstore install attaches (tracepoint, raw tracepoint). */
    static boolean isTracing(ProgramType type) {
        return type == ProgramType.TRACEPOINT || type == ProgramType.RAW_TRACEPOINT
                || type == ProgramType.RAW_TRACEPOINT_WRITABLE;
    }

    @Override
    public HookTarget target() {
        return new HookTarget.Tracing();
    }

    @Override
    public boolean accepts(Program program) {
        return program.type().map(TracingDriver::isTracing).orElse(false);
    }

    @Override
    public BpfLink link(Installation inst, BpfProgram program, Program definition, List<Neighbour> placed,
                           boolean beforeForeign) {
        String section = definition.section();
        String[] parts = section.split("/");
        ProgramType type = definition.type().orElseThrow();
        if (type == ProgramType.TRACEPOINT && parts.length == 3) {
            return Tracepoint.attach(program, parts[1], parts[2]);
        }
        if ((type == ProgramType.RAW_TRACEPOINT || type == ProgramType.RAW_TRACEPOINT_WRITABLE) && parts.length == 2) {
            return RawTracepoint.attach(program, parts[1]);
        }
        throw new InstallException("program " + definition.name() + " (section " + section + ") does not name the "
                + "tracepoint it attaches to");
    }
}
