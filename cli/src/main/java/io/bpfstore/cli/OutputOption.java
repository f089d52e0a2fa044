package io.bpfstore.cli;

import picocli.CommandLine.Option;

/** The {@code -o/--output} option the listing commands share: text for people (the default), or JSON for scripts. */
final class OutputOption {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    /** Whether the result is printed as JSON. */
    boolean json() {
        return format == OutputFormat.json;
    }
}
