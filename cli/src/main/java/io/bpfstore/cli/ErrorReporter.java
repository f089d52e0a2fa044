package io.bpfstore.cli;

import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.sys.UnsupportedPlatformException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns any exception a command throws into one line on stderr and an exit code. Users never see a stack
 * trace, except when {@code BPFSTORE_DEBUG} is set in the environment.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    /** Exit code for bad input (a malformed object, a missing file). */
    static final int BAD_INPUT = 1;
    /** Exit code for a failure inside bpfstore itself. */
    static final int INTERNAL = 70;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        err.println("bpfstore " + cmd.getCommandName() + ": " + describe(e));
        if (System.getenv("BPFSTORE_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof UserError || e instanceof MalformedObjectException || e instanceof IOException
                || e instanceof UncheckedIOException || e instanceof BpfException
                || e instanceof UnsupportedPlatformException ? BAD_INPUT : INTERNAL;
    }

    /** One line that says what went wrong, without Java class names where the user cannot act on them. */
    static String describe(Throwable e) {
        return switch (e) {
            case UncheckedIOException u -> describe(u.getCause());
            case NoSuchFileException f -> f.getFile() + ": no such file";
            case AccessDeniedException a -> a.getFile() + ": permission denied";
            case IOException io -> "I/O error: " + io.getMessage();
            case MalformedObjectException m -> "malformed object: " + m.getMessage();
            case BpfException b -> b.summary();
            case UnsupportedPlatformException p -> p.getMessage();
            case UserError u -> u.getMessage();
            default -> "internal error (" + e.getClass().getSimpleName() + "): " + e.getMessage()
                    + " — run with BPFSTORE_DEBUG=1 for details";
        };
    }
}
