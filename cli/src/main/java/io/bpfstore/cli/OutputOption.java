package io.bpfstore.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The one {@code -o/--output} option of every command that prints data (a picocli mixin: {@code @Mixin OutputOption
 * output}), and the command's streams it prints to. {@link ErrorReporter} finds it by name, so a failure of such a
 * command is JSON too.
 */
final class OutputOption {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE})")
    OutputFormat format = OutputFormat.text;

    /** The command this option belongs to (picocli injects it): its streams are the ones tests and users capture. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Whether the command was asked for JSON. */
    boolean json() {
        return format == OutputFormat.json;
    }

    /** The command's standard output. */
    PrintWriter out() {
        return command.commandLine().getOut();
    }

    /** The command's standard error: progress, warnings and recovery notes, never data. */
    PrintWriter err() {
        return command.commandLine().getErr();
    }

    /**
     * Prints {@code value} as JSON to the command's output when asked for, else the text {@code text} writes there;
     * returns 0 (for {@code call}). Text from packages must be escaped by {@code text} (see {@link Terminal}).
     */
    int print(Object value, Consumer<PrintWriter> text) {
        return print(out(), value, text);
    }

    /** Like {@link #print(Object, Consumer)}, to {@code out}. */
    int print(PrintWriter out, Object value, Consumer<PrintWriter> text) {
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
