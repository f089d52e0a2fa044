package io.bpfstore.kernel.loader;

import io.bpfstore.kernel.BpfException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The kernel refused to load a program of an object (normally its verifier). Carries the verifier log, the
 * verifier's own reason, the instruction it stopped at and the source line of that instruction, so that the one
 * line a user reads is {@code load program "xdp_oob_read" (xdp): the verifier rejected it: invalid access to
 * packet, off=12 size=2 ... at oob_packet_read.c:23: return eth->h_proto;}.
 */
public final class ProgramRejectedException extends BpfException {
    private final String program;
    private final String programType;
    private final String reason;
    private final OptionalInt failingInstruction;
    private final Optional<SourceLine> sourceLine;
    private final Optional<String> missingFeature;

    ProgramRejectedException(String program, String programType, int errno, String log, LineTable lines,
                             java.util.Map<Integer, String> poisoned) {
        super("load program \"" + program + "\" (" + programType + ")", errno,
                log.isBlank() ? null : "the verifier rejected it", log);
        this.program = program;
        this.programType = programType;
        VerifierLog parsed = VerifierLog.parse(log);
        this.failingInstruction = parsed.lastInstruction();
        String unresolved = failingInstruction.isPresent() ? poisoned.get(failingInstruction.getAsInt()) : null;
        // A poisoned CO-RE instruction reaches the verifier as a call to an unknown helper: say what is missing.
        this.reason = unresolved == null ? parsed.reason()
                : "this kernel has no " + unresolved + " (CO-RE relocation could not be resolved; the verifier says: "
                        + parsed.reason() + ")";
        this.missingFeature = java.util.Optional.ofNullable(unresolved);
        this.sourceLine = failingInstruction.isPresent() ? lines.at(failingInstruction.getAsInt()) : Optional.empty();
    }

    /** The name of the refused program. */
    public String program() {
        return program;
    }

    /** The program type, in the kernel's spelling ({@code xdp}, {@code sched_cls}...). */
    public String programType() {
        return programType;
    }

    /** The verifier's reason: the log lines after the last instruction it printed, joined; empty if none. */
    public String reason() {
        return reason;
    }

    /** Index of the last instruction the verifier printed (the one it refused), in the loaded program. */
    public OptionalInt failingInstruction() {
        return failingInstruction;
    }

    /**
     * What the kernel lacks when the refused instruction is one the loader poisoned because a CO-RE relocation
     * found nothing in the kernel's BTF (e.g. {@code field task_struct.no_such_field}); empty otherwise.
     */
    public Optional<String> missingFeature() {
        return missingFeature;
    }

    /** The source line of {@link #failingInstruction()}, from the object's BTF line info. */
    public Optional<SourceLine> sourceLine() {
        return sourceLine;
    }

    /** One line: operation, the verifier's reason and where in the source. */
    @Override
    public String getMessage() {
        StringBuilder s = new StringBuilder(operation()).append(": ");
        if (verifierLog().isBlank()) {
            s.append(summary().substring(operation().length() + 2));
        } else {
            s.append("the verifier rejected it");
            if (!reason.isEmpty()) {
                s.append(": ").append(reason);
            }
        }
        sourceLine.ifPresent(l -> s.append(" at ").append(l));
        return s.toString();
    }

    /** Lines of a verifier log, for tests and reports. */
    public List<String> logLines() {
        return verifierLog().lines().toList();
    }
}
