package io.bpfstore.cli;

import io.bpfstore.registry.index.IndexException;
import io.bpfstore.registry.index.IndexReport;
import io.bpfstore.registry.index.Origin;
import io.bpfstore.registry.index.RegistryIndexer;
import io.bpfstore.registry.server.DataDirectory;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryStorage;
import io.bpfstore.registry.storage.BlobStoreUnavailableException;
import io.bpfstore.registry.storage.IndexedImage;
import io.bpfstore.registry.storage.IndexedOrigins;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.store.config.StoreConfig;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfstore registry index}: make packages published in other registries findable here. Works offline on
 * the registry's storage (the data directory, or the scaled set-up's database, and its blob store), also while
 * the registry runs.
 */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Index other registries: their bpfstore packages and bpfman bytecode images become findable"
                + " here, copied in with their digests verified and shown with their origin.",
        subcommands = {RegistryIndexCommand.Add.class, RegistryIndexCommand.Refresh.class,
                RegistryIndexCommand.ListOrigins.class, RegistryIndexCommand.Remove.class})
public final class RegistryIndexCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** What every subcommand has: its spec, for output, and {@code -o json}. */
    abstract static class Subcommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        OutputOption output;
    }

    /** The options every indexing run takes. */
    static final class Storage {
        @CommandLine.Mixin
        RegistryStorageOptions.Served served = new RegistryStorageOptions.Served();

        @Option(names = "--bpfman-namespace", paramLabel = "NS", defaultValue = "bpfman",
                description = "namespace bpfman bytecode images are indexed under (default: ${DEFAULT-VALUE})")
        String bpfmanNamespace;

        /** Indexes each origin, printing one line per tag (or one JSON document); exit 3 if a tag was refused. */
        int index(CommandLine.Model.CommandSpec spec, OutputOption output, List<Origin> origins) throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            boolean refused = false;
            List<java.util.Map<String, Object>> reports = new ArrayList<>();
            StoreConfig config = StoreConfig.locate(System.getenv());
            RegistryStorage storage = served.storage(System.getenv());
            try (DataDirectory dir = RegistryStorageOptions.Served.open(storage,
                    () -> storage.open(RegistryConfig.DEFAULT_MAX_BLOB))) {
                RegistryIndexer indexer = new RegistryIndexer(dir.blobs(), dir.metadata(), Clock.systemUTC());
                for (Origin origin : origins) {
                    IndexReport report = indexer.index(origin, config.credentials(origin.registry()),
                            bpfmanNamespace);
                    List<java.util.Map<String, Object>> tags = new ArrayList<>();
                    for (IndexReport.Tag t : report.tags()) {
                        String outcome = t.outcome().name().toLowerCase(java.util.Locale.ROOT);
                        tags.add(java.util.Map.of("outcome", outcome, "repository", t.repository(), "tag", t.tag(),
                                "detail", java.util.Objects.requireNonNullElse(t.detail(), "")));
                        if (!output.json()) {
                            Terminal.println(out, outcome + "\t" + t.repository() + ":" + t.tag() + "\t" + t.detail());
                        }
                    }
                    reports.add(java.util.Map.of("origin", report.origin(), "summary", report.summary(), "tags", tags));
                    if (!output.json()) {
                        err.println(report.summary());
                    }
                    refused |= report.count(IndexReport.Outcome.REFUSED) > 0;
                }
            } catch (IndexException | BlobStoreUnavailableException e) {
                throw new UserError(e.getMessage(), e);
            }
            if (output.json()) {
                Json.print(out, java.util.Map.of("origins", reports, "refused", refused));
            }
            out.flush();
            return refused ? 3 : 0;
        }
    }

    static Origin origin(String url) {
        try {
            return Origin.parse(url);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
    }

    /** {@code bpfstore registry index add URL --data DIR|--database URL}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Index a registry (http(s)://HOST[:PORT], through its catalog) or one repository of it"
                    + " (http(s)://HOST[:PORT]/REPO); again later, it indexes only new and changed tags.")
    static final class Add extends Subcommand {
        @Parameters(index = "0", paramLabel = "URL", description = "the registry or repository to index")
        String url;

        @CommandLine.Mixin
        Storage storage = new Storage();

        @Override
        public Integer call() throws Exception {
            return storage.index(spec, output, List.of(origin(url)));
        }
    }

    /** {@code bpfstore registry index refresh --data DIR|--database URL}: re-indexes every origin. */
    @Command(name = "refresh", mixinStandardHelpOptions = true,
            description = "Re-index every origin (incrementally: only new and changed tags are fetched).")
    static final class Refresh extends Subcommand {
        @CommandLine.Mixin
        Storage storage = new Storage();

        @Override
        public Integer call() throws Exception {
            List<Origin> origins = new ArrayList<>();
            try (MetadataStore meta = storage.served.where.openMetadata()) {
                meta.indexedOrigins().origins().forEach(u -> origins.add(Origin.parse(u)));
            }
            return storage.index(spec, output, origins);
        }
    }

    /** {@code bpfstore registry index list --data DIR|--database URL}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the indexed origins and the packages indexed from each.")
    static final class ListOrigins extends Subcommand {
        @CommandLine.Mixin
        RegistryStorageOptions storage = new RegistryStorageOptions();

        @Override
        public Integer call() throws java.io.IOException {
            PrintWriter out = spec.commandLine().getOut();
            List<java.util.Map<String, Object>> listed = new ArrayList<>();
            try (MetadataStore meta = storage.openMetadata()) {
                IndexedOrigins origins = meta.indexedOrigins();
                for (String url : origins.origins()) {
                    List<IndexedImage> images = origins.images(url);
                    listed.add(java.util.Map.of("origin", url, "images", images.stream().map(i -> java.util.Map.of(
                            "remote_repository", i.remoteRepository(), "tag", i.tag(), "repository",
                            i.localRepository(), "version", i.version(), "kind", i.kind(), "digest", i.digest()))
                            .toList()));
                    if (output.json()) {
                        continue;
                    }
                    Terminal.println(out, url + "\t" + images.size() + (images.size() == 1 ? " image" : " images"));
                    for (IndexedImage i : images) {
                        Terminal.println(out, "  " + i.remoteRepository() + ":" + i.tag() + "\t" + i.localRepository()
                                + "@" + i.version() + "\t" + i.kind() + "\t" + i.digest());
                    }
                }
            }
            if (output.json()) {
                Json.print(out, java.util.Map.of("origins", listed));
            }
            out.flush();
            return 0;
        }
    }

    /** {@code bpfstore registry index remove URL --data DIR|--database URL}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Stop indexing an origin (the packages already copied stay; delete them as any other).")
    static final class Remove extends Subcommand {
        @Parameters(index = "0", paramLabel = "URL", description = "the origin, as listed")
        String url;

        @CommandLine.Mixin
        RegistryStorageOptions storage = new RegistryStorageOptions();

        @Override
        public Integer call() throws java.io.IOException {
            String key = origin(url).url();
            try (MetadataStore meta = storage.openMetadata()) {
                if (!meta.indexedOrigins().removeOrigin(key)) {
                    throw new UserError("no origin " + key + " is indexed (see: bpfstore registry index list)");
                }
            }
            return output.print(spec.commandLine().getOut(), java.util.Map.of("removed", key),
                    o -> spec.commandLine().getErr().println("removed origin " + key));
        }
    }
}
