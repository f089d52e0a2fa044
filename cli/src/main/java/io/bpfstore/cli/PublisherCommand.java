package io.bpfstore.cli;

import io.bpfstore.registry.auth.Publishers;
import io.bpfstore.registry.storage.ConflictException;
import io.bpfstore.registry.storage.MetadataStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfstore publisher}: registry accounts, administered offline on the data directory or the PostgreSQL
 * database of the scaled set-up (also while the registry runs: the database serialises the writes). The API token goes to stdout alone, so scripts can capture it;
 * the explanation goes to stderr.
 */
@Command(name = "publisher", mixinStandardHelpOptions = true,
        description = "Create registry publishers and issue their API tokens (works offline on --data or --database).",
        subcommands = {PublisherCommand.Create.class, PublisherCommand.Token.class, PublisherCommand.AddKey.class,
                PublisherCommand.RequireSignatures.class})
public final class PublisherCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code bpfstore publisher create NAME --namespace NS... --data DIR}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a publisher owning one or more namespaces and print its first API token once.")
    static final class Create extends OnData {
        @Parameters(index = "0", paramLabel = "NAME", description = "publisher name (the login of docker/skopeo)")
        String name;

        @Option(names = "--namespace", required = true, paramLabel = "NS",
                description = "a namespace it owns (repeatable): it may push NS/<package>")
        List<String> namespaces;

        @Override
        public Integer call() throws Exception {
            Publishers.Issued issued = withPublishers(p -> p.create(name, namespaces));
            report(spec, output, issued, "created publisher " + name + " owning " + String.join(", ",
                    issued.publisher().namespaces()));
            return 0;
        }
    }

    /** {@code bpfstore publisher token NAME --data DIR}. */
    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Issue another API token for an existing publisher and print it once.")
    static final class Token extends OnData {
        @Parameters(index = "0", paramLabel = "NAME", description = "publisher name")
        String name;

        @Override
        public Integer call() throws Exception {
            Publishers.Issued issued = withPublishers(p -> p.issueToken(name));
            report(spec, output, issued, "issued a new API token for " + name);
            return 0;
        }
    }

    /** {@code bpfstore publisher add-key NAME PUB.pem --data DIR}. */
    @Command(name = "add-key", mixinStandardHelpOptions = true,
            description = "Register a signing public key (PEM, ECDSA P-256) of a publisher.")
    static final class AddKey extends OnData {
        @Parameters(index = "0", paramLabel = "NAME", description = "publisher name")
        String name;

        @Parameters(index = "1", paramLabel = "PUB.pem", description = "public key (bpfstore keygen's signing.pub)")
        Path key;

        @Override
        public Integer call() throws Exception {
            String pem = java.nio.file.Files.readString(key);
            String fingerprint = withPublishers(p -> p.addSigningKey(name, pem));
            return output.print(spec.commandLine().getOut(), java.util.Map.of("publisher", name, "key", fingerprint),
                    o -> o.printf("registered key %s for publisher %s%n", fingerprint, name));
        }
    }

    /** {@code bpfstore publisher require-signatures NAMESPACE [--off] --data DIR}. */
    @Command(name = "require-signatures", mixinStandardHelpOptions = true,
            description = "Refuse pushes into a namespace unless signed by a key its publisher registered.")
    static final class RequireSignatures extends OnData {
        @Parameters(index = "0", paramLabel = "NAMESPACE", description = "the namespace")
        String namespace;

        @Option(names = "--off", description = "stop requiring signatures")
        boolean off;

        @Override
        public Integer call() throws Exception {
            withPublishers(p -> {
                p.requireSignatures(namespace, !off);
                return namespace;
            });
            return output.print(spec.commandLine().getOut(), java.util.Map.of("namespace", namespace,
                    "requires_signatures", !off), o -> o.printf("namespace %s %s signatures%n", namespace,
                    off ? "no longer requires" : "requires"));
        }
    }

    /** What every publisher subcommand shares: the registry storage it administers (--data or --database), and where it prints. */
    abstract static class OnData implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        RegistryStorageOptions storage;

        @CommandLine.Mixin
        OutputOption output;

        /** Runs {@code action} on the accounts of that storage; bad input and conflicts become user errors. */
        <T> T withPublishers(Function<Publishers, T> action) throws java.io.IOException {
            try (MetadataStore metadata = storage.openMetadata()) {
                return action.apply(new Publishers(metadata.accounts()));
            } catch (IllegalArgumentException | ConflictException e) {
                throw new UserError(e.getMessage(), e);
            }
        }
    }

    private static void report(CommandLine.Model.CommandSpec spec, OutputOption output, Publishers.Issued issued,
                               String what) {
        if (output.json()) {
            Json.print(spec.commandLine().getOut(), java.util.Map.of("publisher", issued.publisher().name(),
                    "namespaces", issued.publisher().namespaces(), "token", issued.token()));
            return;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println(what + "; its API token follows, shown only this once (only its SHA-256 is stored).");
        err.println("use it as the password of user \"" + issued.publisher().name()
                + "\" (e.g. skopeo copy --dest-creds " + issued.publisher().name() + ":TOKEN ...)");
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.println(issued.token());
        out.flush();
    }
}
