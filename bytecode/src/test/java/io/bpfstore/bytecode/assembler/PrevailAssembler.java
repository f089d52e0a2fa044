package io.bpfstore.bytecode.assembler;

import java.util.List;

/**
 * Assembles programs written in the PREVAIL verifier's test syntax (the {@code code} blocks of its YAML tests)
 * including the forms that have no eBPF encoding: {@code assume}, the {@code &!=} jump and {@code w s32=}.
 * Everything else is read as {@link LlvmAssembler} reads it.
 */
public final class PrevailAssembler {
    private PrevailAssembler() {
    }

    /**
     * Assembles {@code text}.
     *
     * @param source name of the text for error messages
     * @param text   the assembly; labels as {@code <name>:} or {@code name:}
     * @return the statements in order, branch distances resolved
     * @throws AssemblyException naming line and column of the first fault
     */
    public static List<PrevailStatement> assemble(String source, String text) {
        return LlvmAssembler.parse(source, text, true);
    }
}
