package io.bpfstore.store.policy;

import io.bpfstore.bytecode.Reportable;
import java.util.Optional;

/**
 * A host policy file that cannot be used: names the file, the field (a dotted path such as
 * {@code signers.examples[1]}) and, where known, the line and column. A policy that does not load is never
 * replaced by a default: the caller refuses.
 */
public final class PolicyException extends RuntimeException implements Reportable {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final transient Optional<Location> location;

    /** Where in the YAML text a problem sits (1-based line and column). */
    public record Location(int line, int column) {
    }

    /** {@code file}'s {@code field} (empty for the document) at {@code location} is unusable: {@code problem}. */
    public PolicyException(String file, String field, Optional<Location> location, String problem) {
        super(format(file, field, location, problem));
        this.field = field;
        this.location = location;
    }

    /** The field at fault, empty for the document as a whole. */
    public String field() {
        return field;
    }

    /** Line and column, where known. */
    public Optional<Location> location() {
        return location;
    }

    private static String format(String file, String field, Optional<Location> location, String problem) {
        StringBuilder b = new StringBuilder("policy ").append(file);
        location.ifPresent(l -> b.append(':').append(l.line()).append(':').append(l.column()));
        if (!field.isEmpty()) {
            b.append(": ").append(field);
        }
        return b.append(": ").append(problem).toString();
    }
}
