package io.bpfstore.cli;

/** How a command prints its result. */
enum OutputFormat {
    /** Aligned, human-readable text. */
    text,
    /** One JSON document on stdout, for scripts. */
    json
}
