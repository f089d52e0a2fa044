/**
 * Packages: the {@code bpfstore.yaml} manifest ({@code manifest}), the OCI image model ({@code image}), building a
 * package from an object or C source ({@code build}), OCI image layouts on disk ({@code layout}), the OCI
 * distribution and store API clients ({@code registry}) and the CLI's configuration ({@code config}).
 * The format is described in docs/package-format.md.
 */
package io.bpfstore.store;
