package io.bpfstore.cli;

import io.bpfstore.store.client.PackageReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfstore yank NS/NAME@VERSION [--undo]}: hides a version from search and "latest" (it stays pullable by
 * version and digest, so existing installs keep working); {@code --undo} brings it back.
 */
@Command(name = "yank", description = "Yank a published version (or --undo a yank). Needs bpfstore login.")
final class YankCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME@VERSION", description = "NAMESPACE/NAME@VERSION")
    String name;

    @Option(names = "--undo", description = "un-yank the version")
    boolean undo;

    @Mixin
    RegistryOption registry;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        PackageReference ref = PackageReference.parse(name);
        if (ref.version().isEmpty()) {
            throw UserError.usage("yank needs an exact version: NAMESPACE/NAME@VERSION");
        }
        boolean yanked = registry.store().yank(ref.namespace(), ref.name(),
                ref.version().get(), undo);
        return output.print(java.util.Map.of("repository", ref.repository(),
                "version", ref.version().get(), "yanked", yanked), o -> o.printf("%s@%s is %s%n", ref.repository(),
                ref.version().get(), yanked ? "yanked" : "not yanked"));
    }
}
