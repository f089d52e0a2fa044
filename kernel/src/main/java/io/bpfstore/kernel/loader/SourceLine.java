package io.bpfstore.kernel.loader;

import java.util.Objects;

/**
 * A line of the program's C source, as the compiler recorded it in BTF line info.
 *
 * @param file   the file name as recorded (often an absolute path)
 * @param line   1-based line number
 * @param column 1-based column, 0 when not recorded
 * @param text   the source text of the line, trimmed; empty when the compiler recorded none
 */
public record SourceLine(String file, int line, int column, String text) {
    /** Checks the arguments and trims the text. */
    public SourceLine {
        Objects.requireNonNull(file, "file");
        text = Objects.requireNonNull(text, "text").strip();
    }

    /** The file name without its directories. */
    public String fileName() {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? file : file.substring(slash + 1);
    }

    /** {@code file.c:23: return *(__u32 *)data;} */
    @Override
    public String toString() {
        return fileName() + ":" + line + (text.isEmpty() ? "" : ": " + text);
    }
}
