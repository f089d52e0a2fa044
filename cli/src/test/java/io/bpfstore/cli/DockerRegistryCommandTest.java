package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpfstore.testsupport.DockerRegistryExtension;
import io.bpfstore.testsupport.ExampleObjects;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base of the CLI tests that push to and pull from a real docker-registry: one registry per test class ({@link
 * DockerRegistryExtension}: starting it takes a while), a fresh work directory per test, and a per-test config file
 * (system property {@code bpfstore.config}) so that {@code login} and trust settings never touch the user's real
 * config or leak between tests.
 */
abstract class DockerRegistryCommandTest extends IsolatedConfigTest {
    /** The registry of the running test class. */
    @RegisterExtension
    static final DockerRegistryExtension REGISTRY = new DockerRegistryExtension();

    /** Packages example {@code object} (e.g. {@code xdp_counter.o}) into an OCI layout under {@link #dir}. */
    Path packaged(String object, String namespace) {
        Path out = dir.resolve(namespace + "-" + object + ".layout");
        Cli.Result r = Cli.run("package", ExampleObjects.dir().resolve(object).toString(), "--namespace", namespace,
                "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        return out;
    }
}
