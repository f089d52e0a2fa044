package io.bpfstore.cli;

import io.bpfstore.agent.api.ApiException;
import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.install.InstallException;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.loader.LoadException;
import io.bpfstore.kernel.sys.UnsupportedPlatformException;
import io.bpfstore.store.build.CompileException;
import io.bpfstore.store.build.UndeclaredPermissionsException;
import io.bpfstore.store.config.ConfigException;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.image.InvalidNameException;
import io.bpfstore.store.manifest.ManifestException;
import io.bpfstore.store.policy.PolicyDeniedException;
import io.bpfstore.store.policy.PolicyException;
import io.bpfstore.store.client.RegistryException;
import io.bpfstore.store.signing.KeyException;
import io.bpfstore.store.signing.VerificationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns any exception a command throws into one line on stderr and an exit code. Users never see a stack
 * trace, except when {@code BPFSTORE_DEBUG} is set in the environment. This is the one place the libraries'
 * typed input exceptions become messages: commands let them through instead of wrapping them.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    /** Exit code for bad input (a malformed object, a missing file). */
    static final int BAD_INPUT = 1;
    /** Exit code for a failure inside bpfstore itself. */
    static final int INTERNAL = 70;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        // the qualified name ("bpfstore policy check"), so subcommands are told apart from top-level ones
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + describe(e));
        if (System.getenv("BPFSTORE_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return isBadInput(e) ? BAD_INPUT : INTERNAL;
    }

    /**
     * Whether {@code e} is the user's input (or environment) at fault rather than bpfstore: every typed input
     * exception of the libraries is, and nothing untyped is.
     */
    static boolean isBadInput(Throwable e) {
        return switch (e) {
            case UserError u -> true;
            case ApiException a -> a.status() < 500;
            case MalformedObjectException m -> true;
            case IOException io -> true;
            case UncheckedIOException u -> true;
            case BpfException b -> true;
            case LoadException l -> true;
            case InstallException i -> true;
            case UnsupportedPlatformException p -> true;
            case ManifestException m -> true;
            case InvalidNameException n -> true;
            case CompileException c -> true;
            case UndeclaredPermissionsException u -> true;
            case InvalidImageException i -> true;
            case RegistryException r -> true;
            case ConfigException c -> true;
            case KeyException k -> true;
            case VerificationException v -> true;
            case PolicyException p -> true;
            case PolicyDeniedException d -> true;
            default -> false;
        };
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
            case LoadException l -> firstLine(l.getMessage());
            case InstallException i -> i.getMessage();
            case UnsupportedPlatformException p -> p.getMessage();
            case UserError u -> u.getMessage();
            case ApiException a -> a.getMessage();
            case ManifestException m -> m.getMessage();
            case InvalidNameException n -> n.getMessage();
            case CompileException c -> c.getMessage();
            case UndeclaredPermissionsException u -> "refused: " + u.getMessage();
            case InvalidImageException i -> "invalid image: " + i.getMessage();
            case RegistryException r -> r.getMessage();
            case ConfigException c -> c.getMessage();
            case KeyException k -> "bad key: " + k.getMessage();
            case VerificationException v -> "refused: " + v.getMessage();
            case PolicyException p -> p.getMessage();
            case PolicyDeniedException d -> d.getMessage();
            default -> "internal error (" + e.getClass().getSimpleName() + "): " + e.getMessage()
                    + " — run with BPFSTORE_DEBUG=1 for details";
        };
    }

    /** A loader message's first line: the verdict, without the verifier log that follows it. */
    static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
