package io.bpfstore.store.manifest;

import io.bpfstore.bytecode.sections.ProgramType;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code bpfstore.yaml} says about one program under {@code programs:}: today its program type, for a
 * program whose section names none (iproute2's {@code prog}, a custom section name). The same vocabulary as
 * {@code load --type PROGRAM=TYPE} (bpftool's names, {@link io.bpfstore.bytecode.object.ProgramTypes#named}).
 *
 * @param program the program's name in the object
 * @param type    its program type
 * @param at      where the manifest names the program (line and column), so that a name the object does not
 *                have is reported there when the object is read
 */
public record ProgramSetting(String program, ProgramType type, Optional<ManifestException.Location> at) {
    /** Checks the parts. */
    public ProgramSetting {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
    }
}
