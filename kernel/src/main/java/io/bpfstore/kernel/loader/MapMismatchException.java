package io.bpfstore.kernel.loader;

/**
 * A live map given to {@link LoadOptions#withExistingMaps} does not match the object's definition of it. Callers
 * that may start a map afresh (an upgrade with {@code --reset-maps}) leave {@link #map()} out and load again.
 */
public final class MapMismatchException extends LoadException {
    private final String map;
    private final String field;

    MapMismatchException(String message, String map, String field) {
        super(message);
        this.map = map;
        this.field = field;
    }

    /** The object's name of the map. */
    public String map() {
        return map;
    }

    /**
     * The first field that differs: {@code type}, {@code key_size}, {@code value_size}, {@code max_entries},
     * {@code flags}, or {@code contents} (a read-only data map holding other values).
     */
    public String field() {
        return field;
    }
}
