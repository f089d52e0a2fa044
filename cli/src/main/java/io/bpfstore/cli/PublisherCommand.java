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
    static final class Create implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "publisher name (the login of docker/skopeo)")
        String name;

        @Option(names = "--namespace", required = true, paramLabel = "NS",
                description = "a namespace it owns (repeatable): it may push NS/<package>")
        List<String> namespaces;

        @CommandLine.Mixin
        RegistryStorageOptions storage;

        @Override
        public Integer call() throws Exception {
            Publishers.Issued issued = withPublishers(storage, p -> p.create(name, namespaces));
            report(spec, issued, "created publisher " + name + " owning " + String.join(", ",
                    issued.publisher().namespaces()));
            return 0;
        }
    }

    /** {@code bpfstore publisher token NAME --data DIR}. */
    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Issue another API token for an existing publisher and print it once.")
    static final class Token implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "publisher name")
        String name;

        @CommandLine.Mixin
        RegistryStorageOptions storage;

        @Override
        public Integer call() throws Exception {
            Publishers.Issued issued = withPublishers(storage, p -> p.issueToken(name));
            report(spec, issued, "issued a new API token for " + name);
            return 0;
        }
    }

    /** {@code bpfstore publisher add-key NAME PUB.pem --data DIR}. */
    @Command(name = "add-key", mixinStandardHelpOptions = true,
            description = "Register a signing public key (PEM, ECDSA P-256) of a publisher.")
    static final class AddKey implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "publisher name")
        String name;

        @Parameters(index = "1", paramLabel = "PUB.pem", description = "public key (bpfstore keygen's signing.pub)")
        Path key;

        @CommandLine.Mixin
        RegistryStorageOptions storage;

        @Override
        public Integer call() throws Exception {
            String pem = java.nio.file.Files.readString(key);
            String fingerprint = withPublishers(storage, p -> p.addSigningKey(name, pem));
            spec.commandLine().getOut().printf("registered key %s for publisher %s%n", fingerprint, name);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code bpfstore publisher require-signatures NAMESPACE [--off] --data DIR}. */
    @Command(name = "require-signatures", mixinStandardHelpOptions = true,
            description = "Refuse pushes into a namespace unless signed by a key its publisher registered.")
    static final class RequireSignatures implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAMESPACE", description = "the namespace")
        String namespace;

        @Option(names = "--off", description = "stop requiring signatures")
        boolean off;

        @CommandLine.Mixin
        RegistryStorageOptions storage;

        @Override
        public Integer call() throws Exception {
            withPublishers(storage, p -> {
                p.requireSignatures(namespace, !off);
                return namespace;
            });
            spec.commandLine().getOut().printf("namespace %s %s signatures%n", namespace,
                    off ? "no longer requires" : "requires");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    private static <T> T withPublishers(RegistryStorageOptions storage, Function<Publishers, T> action)
            throws java.io.IOException {
        try (MetadataStore metadata = storage.openMetadata()) {
            return action.apply(new Publishers(metadata.accounts()));
        } catch (IllegalArgumentException | ConflictException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    private static void report(CommandLine.Model.CommandSpec spec, Publishers.Issued issued, String what) {
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
