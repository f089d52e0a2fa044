package io.bpfstore.kernel.dispatch;

import io.bpfstore.kernel.BpfProgram;
import java.util.List;
import java.util.Objects;

/**
 * The loaded dispatcher program plus the member order actually used (priority ascending, ties by name).
 * Closing it closes this process's descriptor of the program; an attachment or pin keeps it running.
 *
 * @param program the dispatcher, one XDP program holding every member as a subprogram
 * @param order   member names in the order they run
 */
public record ComposedProgram(BpfProgram program, List<String> order) implements AutoCloseable {
    /** Copies the order. */
    public ComposedProgram {
        Objects.requireNonNull(program, "program");
        order = List.copyOf(order);
    }

    @Override
    public void close() {
        program.close();
    }
}
