package io.bpfstore.cli;

import io.bpfstore.store.image.ControlCharacters;
import java.io.PrintWriter;

/**
 * Text-mode printing of lines that carry text from packages (names, descriptions, anything from a manifest, an
 * object, a registry's or the agent's answer): control characters go out as {@code \\uXXXX}
 * ({@link ControlCharacters#escape}), so a hostile package cannot send escape sequences to the user's terminal.
 * {@link Table} and {@link ErrorReporter} do the same for what they print; JSON output needs nothing (Jackson
 * escapes control characters).
 */
final class Terminal {
    private Terminal() {
    }

    /** {@code out.printf(format, args)}, escaped; the format's {@code %n} line ends are ordinary text. */
    static void printf(PrintWriter out, String format, Object... args) {
        out.print(ControlCharacters.escape(String.format(format, args)));
    }

    /** {@code out.println(line)}, escaped. */
    static void println(PrintWriter out, String line) {
        out.println(ControlCharacters.escape(line));
    }
}
