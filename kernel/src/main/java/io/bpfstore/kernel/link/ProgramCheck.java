package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.sys.Errno;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Refuses a program of the wrong type before the kernel does: the kernel only says EINVAL, we can say
 * which type the hook needs.
 */
final class ProgramCheck {

    private ProgramCheck() {
    }

    static void require(BpfProgram program, String what, ProgramType... allowed) {
        int type = program.info().typeNumber();
        for (ProgramType t : allowed) {
            if (t.number() == type) {
                return;
            }
        }
        String needed = Arrays.stream(allowed).map(ProgramType::bpftoolName).collect(Collectors.joining(" or "));
        throw new BpfException(what, Errno.EINVAL.number(), "this hook runs " + needed + " programs, not "
                + ProgramType.nameOf(type) + " programs", "");
    }
}
