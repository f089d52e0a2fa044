package io.bpfstore.bytecode.object;

/**
 * A value given for a global variable ({@code install --set NAME=VALUE}) that the object cannot take: no such
 * variable in {@code .rodata}/{@code .data}, or a value that does not fit the variable's BTF type. The message names
 * the variable and its type.
 */
public final class GlobalValueException extends IllegalArgumentException {
    private final String variable;

    /** A refusal for {@code variable}, explained by {@code message}. */
    public GlobalValueException(String variable, String message) {
        super(message);
        this.variable = variable;
    }

    /** The variable's name as given. */
    public String variable() {
        return variable;
    }
}
