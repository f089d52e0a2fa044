/**
 * Fixtures shared by the tests of every bpfstore module: running external oracle tools ({@link
 * io.bpfstore.testsupport.ExternalTool}), locating the compiled example catalog ({@link
 * io.bpfstore.testsupport.ExampleObjects}), running a real OCI registry ({@link
 * io.bpfstore.testsupport.DockerRegistryProcess}) and a throwaway PostgreSQL cluster ({@link
 * io.bpfstore.testsupport.PostgresCluster}), and scratch directories removed after the work ({@link
 * io.bpfstore.testsupport.ScratchDirectory}).
 *
 * <p>Traps: this module is a test-scoped dependency only and must not depend on any other bpfstore module (the
 * lowest module, bytecode, uses it too). Everything here fails the calling test with an {@link AssertionError} when
 * a tool or input is missing, never skips: CI installs every tool (scripts/setup), so a skip would hide a broken
 * setup. The one exception is PostgreSQL, whose tests skip with a loud message where its server binaries are
 * absent (a developer machine without the package); CI has them.
 */
package io.bpfstore.testsupport;
