package io.bpfstore.store.image;

import io.bpfstore.bytecode.Reportable;

/**
 * A package namespace, name, version or reference that is not valid, as a user typed it or a label carries it;
 * the message quotes the text and says what is wrong. An {@link IllegalArgumentException}, so callers that
 * caught that keep working; the CLI reports this type as bad input.
 */
public final class InvalidNameException extends IllegalArgumentException implements Reportable {
    private static final long serialVersionUID = 1L;

    /** {@code problem} says what is wrong with which text. */
    public InvalidNameException(String problem) {
        super(problem);
    }
}
