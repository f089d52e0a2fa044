package io.bpfstore.store.image;

/**
 * Control characters in text that comes from packages (descriptions, names, authors, anything from a manifest or
 * an object). Printed raw, an ESC sequence can rewrite a terminal (move the cursor, hide lines, set the title), so
 * {@code package} and the registry refuse them in manifest fields, and printers escape what slips through.
 * Line feed and tab are ordinary text.
 */
public final class ControlCharacters {
    private ControlCharacters() {
    }

    /** Whether {@code c} is a control character other than line feed and tab (C0, DEL, C1). */
    public static boolean isControl(int c) {
        return c != '\n' && c != '\t' && Character.getType(c) == Character.CONTROL;
    }

    /** The index of the first control character in {@code text}, or -1. */
    public static int find(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Why {@code text} is refused (naming the character and where), or null when it has none. */
    public static String problem(String text) {
        int at = find(text);
        return at < 0 ? null : String.format("control character U+%04X at character %d is not allowed (terminal "
                + "escapes)", (int) text.charAt(at), at + 1);
    }

    /** {@code text} with every control character written as {@code \\uXXXX}, safe to print to a terminal. */
    public static String escape(String text) {
        if (find(text) < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        text.chars().forEach(c -> {
            if (isControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.append((char) c);
            }
        });
        return b.toString();
    }
}
