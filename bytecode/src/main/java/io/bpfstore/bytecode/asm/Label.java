package io.bpfstore.bytecode.asm;

/**
 * A position in code that a {@link CodeBuilder} is writing, made by {@link CodeBuilder#newLabel} and bound
 * once ({@link CodeBuilder#bind}, {@link CodeBuilder#bindAt}); jumps and calls may name it before it is bound.
 * A label has identity only: two labels are never equal, and one belongs to the builder that made it.
 */
public final class Label {
    private final CodeBuilder owner;
    private final int number;

    Label(CodeBuilder owner, int number) {
        this.owner = owner;
        this.number = number;
    }

    CodeBuilder owner() {
        return owner;
    }

    @Override
    public String toString() {
        return "L" + number;
    }
}
