package io.bpfstore.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * The one {@code -o/--output} option of every command that prints data (a picocli mixin: {@code @Mixin OutputOption
 * output}). {@link ErrorReporter} finds it by name, so a failure of such a command is JSON too.
 */
final class OutputOption {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE})")
    OutputFormat format = OutputFormat.text;

    /** Whether the command was asked for JSON. */
    boolean json() {
        return format == OutputFormat.json;
    }

    /**
     * Prints {@code value} as JSON when asked for, else the text {@code text} writes; returns 0 (for {@code call}).
     * Text from packages must be escaped by {@code text} (see {@link Terminal}).
     */
    int print(PrintWriter out, Object value, java.util.function.Consumer<PrintWriter> text) {
        if (json()) {
            Json.print(out, value);
        } else {
            text.accept(out);
            out.flush();
        }
        return 0;
    }

    /** {@link #print}, the JSON written token by token (no databind: {@link Json#write}). */
    int write(PrintWriter out, Json.Document json, java.util.function.Consumer<PrintWriter> text) {
        if (json()) {
            Json.write(out, json);
        } else {
            text.accept(out);
            out.flush();
        }
        return 0;
    }
}
