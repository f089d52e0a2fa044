package io.bpfstore.cli;

import io.bpfstore.bytecode.Reportable;
import io.bpfstore.store.image.ControlCharacters;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import picocli.CommandLine;

/**
 * Turns what a command throws, and a command line picocli cannot parse, into one line on stderr and an exit
 * status (see the README's table). Users never see a stack trace, except when {@code BPFSTORE_DEBUG} is set.
 *
 * <p>It knows no library exception types: a failure meant for the user implements {@link Reportable}, which
 * carries the message and the status; the JDK's I/O exceptions are worded here; anything else is a bug in
 * bpfstore ({@link #INTERNAL}). With {@code -o json} the error is a JSON document on stdout instead, so a script
 * that parses the output also gets the failure in its own terms.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    /** Exit status for a failure inside bpfstore itself (sysexits' EX_SOFTWARE). */
    static final int INTERNAL = 70;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        return failed(e, cmd.getCommandSpec().qualifiedName(), wantsJson(cmd.getCommandSpec()), cmd.getOut(), cmd.getErr());
    }

    /**
     * Reports what {@code command} threw (stack trace too with {@code BPFSTORE_DEBUG}) and returns its exit status;
     * also {@link AgentShortcut}'s, which runs commands without picocli.
     */
    static int failed(Exception e, String command, boolean json, PrintWriter out, PrintWriter err) {
        int status = exitStatus(e);
        report(command, describe(e), status, json, out, err);
        if (System.getenv("BPFSTORE_DEBUG") != null) {
            e.printStackTrace(err);
            err.flush();
        }
        return status;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message += "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        message += " (see: " + cmd.getCommandSpec().qualifiedName() + " --help)";
        report(cmd.getCommandSpec().qualifiedName(), message, Reportable.USAGE, List.of(args).contains("json") && (List.of(args).contains("-o")
                || List.of(args).contains("--output")) || List.of(args).contains("--output=json"), cmd.getOut(), cmd.getErr());
        return Reportable.USAGE;
    }

    /** {@code command}'s failure: one line on {@code err}, or with {@code json} a JSON document on {@code out}. */
    private static void report(String command, String message, int status, boolean json, PrintWriter out, PrintWriter err) {
        // the qualified name ("bpfstore policy check"), so subcommands are told apart from top-level ones
        if (json) {
            Json.write(out, g -> {
                g.writeStartObject();
                g.writeObjectFieldStart("error");
                g.writeStringField("command", command);
                g.writeStringField("message", message);
                g.writeNumberField("exit_status", status);
                g.writeEndObject();
                g.writeEndObject();
            });
            return;
        }
        // messages quote names and text from packages and registries: no raw control characters to a terminal
        err.println(ControlCharacters.escape(command + ": " + message));
        err.flush();
    }

    /** Whether the command was asked for JSON output ({@code -o json}). */
    private static boolean wantsJson(CommandLine.Model.CommandSpec spec) {
        CommandLine.Model.OptionSpec output = spec.findOption("--output");
        return output != null && "json".equals(String.valueOf((Object) output.getValue()));
    }

    /** The exit status for {@code e}: its own when it is {@link Reportable}, 1 for I/O, {@link #INTERNAL} otherwise. */
    static int exitStatus(Throwable e) {
        return switch (e) {
            case Reportable r -> r.exitStatus();
            case IOException io -> Reportable.ERROR;
            case UncheckedIOException u -> Reportable.ERROR;
            default -> INTERNAL;
        };
    }

    /** One line that says what went wrong, without Java class names. */
    static String describe(Throwable e) {
        return switch (e) {
            case Reportable r -> r.userMessage();
            case UncheckedIOException u -> describe(u.getCause());
            case NoSuchFileException f -> f.getFile() + ": no such file";
            case AccessDeniedException a -> a.getFile() + ": permission denied";
            case FileAlreadyExistsException f -> f.getFile() + ": already exists";
            case NotDirectoryException d -> d.getFile() + ": not a directory";
            case FileSystemException f -> f.getFile() + ": " + lowerFirst(f.getReason() != null ? f.getReason() : "cannot use");
            case ConnectException c -> "connection refused";
            case IOException io -> io.getMessage() != null ? io.getMessage() : "input/output error";
            default -> "internal error: " + (e.getMessage() != null ? firstLine(e.getMessage()) : "unexpected failure")
                    + " — run with BPFSTORE_DEBUG=1 for details";
        };
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** A loader message's first line: the verdict, without the verifier log that follows it. */
    static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
