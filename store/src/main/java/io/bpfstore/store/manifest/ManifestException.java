package io.bpfstore.store.manifest;

import io.bpfstore.bytecode.Reportable;
import java.util.Optional;

/**
 * A {@code bpfstore.yaml} that cannot be accepted: names the field (a dotted path such as {@code hooks[1].priority})
 * and, where the YAML parser knew it, the line and column.
 */
public final class ManifestException extends RuntimeException implements Reportable {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final transient Optional<Location> location;

    /** Where in the YAML text a problem sits (1-based line and column). */
    public record Location(int line, int column) {
    }

    /** A problem with {@code field} (empty for the document as a whole) at an optional location. */
    public ManifestException(String field, Optional<Location> location, String problem) {
        super(format(field, location, problem));
        this.field = field;
        this.location = location;
    }

    /** A problem with {@code field} where the position is not known. */
    public ManifestException(String field, String problem) {
        this(field, Optional.empty(), problem);
    }

    /** The field at fault, as a dotted path; empty for the document as a whole. */
    public String field() {
        return field;
    }

    /** Line and column, where the parser gave them. */
    public Optional<Location> location() {
        return location;
    }

    private static String format(String field, Optional<Location> location, String problem) {
        StringBuilder b = new StringBuilder("bpfstore.yaml");
        location.ifPresent(l -> b.append(':').append(l.line()).append(':').append(l.column()));
        if (!field.isEmpty()) {
            b.append(": ").append(field);
        }
        return b.append(": ").append(problem).toString();
    }
}
