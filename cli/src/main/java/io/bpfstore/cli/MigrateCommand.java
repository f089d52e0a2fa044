package io.bpfstore.cli;

import io.bpfstore.registry.server.BlobLocation;
import io.bpfstore.registry.server.RegistryStorage;
import io.bpfstore.registry.storage.BlobStoreUnavailableException;
import io.bpfstore.registry.storage.MetadataException;
import io.bpfstore.registry.storage.postgres.EmbeddedMigration;
import io.bpfstore.registry.storage.postgres.PostgresAddress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bpfstore registry migrate --from DIR --to postgresql://... [--blobs DIR|oci+http(s)://...]}: copies an
 * embedded registry
 * into the scaled set-up, verifying every digest. Idempotent: run it again after an interruption and it
 * finishes the copy. Progress goes to stderr, the summary to stdout.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Copy an embedded registry (data directory) into PostgreSQL (and a blob directory),"
                + " verifying every digest; run again to resume an interrupted copy.")
final class MigrateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "DIR",
            description = "the embedded registry's data directory (stop that registry first)")
    Path from;

    @Option(names = "--to", required = true, paramLabel = "postgresql://USER@HOST[:PORT]/DB",
            description = "the database (password from PGPASSWORD or ~/.pgpass)")
    String to;

    /** Where the blobs go; without it they stay in {@code --from}'s {@code blobs/}, verified, and are served from there. */
    @CommandLine.Mixin
    BlobStoreOption blobs = new BlobStoreOption();

    @CommandLine.Mixin
    OutputOption output;

    @Override
    public Integer call() throws Exception {
        PostgresAddress address;
        try {
            address = PostgresAddress.parse(to);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--to: " + e.getMessage());
        }
        BlobLocation location = blobs.location(System.getenv());
        Optional<EmbeddedMigration.BlobTarget> target = !blobs.given() ? Optional.empty()
                : Optional.of(() -> location.openShared(Long.MAX_VALUE));
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Long> counts;
        try {
            counts = EmbeddedMigration.runInto(from, address, RegistryStorage.Scaled.passwordFromEnvironment(),
                    target, line -> {
                        err.println(line);
                        err.flush();
                    });
        } catch (MetadataException e) {
            throw new UserError("migrate " + from + " to " + address + ": " + e.getMessage(), e);
        } catch (BlobStoreUnavailableException e) {
            throw new UserError(e.getMessage(), e);
        }
        String served = blobs.given() ? blobs.spec : from.resolve("blobs").toString();
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("from", from.toString());
        doc.put("to", address.toString());
        doc.put("blobs", served);
        doc.put("copied", counts);
        return output.print(spec.commandLine().getOut(), doc, out -> {
            out.println("migrated " + from + " to " + address + (blobs.given() ? " and " + blobs.spec : "") + ":");
            counts.forEach((what, n) -> out.println("  " + what + ": " + n));
            out.println("serve it with: bpfstore serve --database " + address + " --blobs " + served);
        });
    }
}
