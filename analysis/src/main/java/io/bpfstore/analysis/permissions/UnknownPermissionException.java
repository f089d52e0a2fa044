package io.bpfstore.analysis.permissions;

import io.bpfstore.bytecode.Reportable;

/** A declared permission that is neither a {@link Permission} id nor its plain name. */
public final class UnknownPermissionException extends IllegalArgumentException implements Reportable {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final String name;

    /** Entry {@code index} of a declaration is {@code name}, which names no permission. */
    public UnknownPermissionException(int index, String name) {
        super("\"" + name + "\" is not a permission (known: " + String.join(", ", Permission.ids()) + ")");
        this.index = index;
        this.name = name;
    }

    /** The position of the entry in its list. */
    public int index() {
        return index;
    }

    /** The text that named no permission. */
    public String name() {
        return name;
    }
}
