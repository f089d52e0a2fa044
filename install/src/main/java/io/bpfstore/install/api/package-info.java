/**
 * The install family's requests and results as plain values: what {@link io.bpfstore.install.InstallService}
 * takes and returns. Every record here is built from strings, numbers, booleans, this package's enums,
 * {@link java.util.Optional} and {@link java.util.List} only — no kernel, analysis or store types — so a caller
 * can carry them over JSON (Jackson with its {@code Jdk8Module} for the Optionals) without loading the code that
 * installs: the agent's HTTP API and the CLI's client of it use them unchanged.
 */
package io.bpfstore.install.api;
