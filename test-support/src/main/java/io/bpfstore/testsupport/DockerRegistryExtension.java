package io.bpfstore.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link DockerRegistryProcess} per test class, for tests that push to and pull from a real registry: starting
 * it takes a while, so the tests of a class share it. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DockerRegistryExtension REGISTRY = new DockerRegistryExtension();
 * ... REGISTRY.url() ...
 * }</pre>
 *
 * <p>The registry stores in a fresh temporary directory ({@code bst-registry-*}), removed after the class. Test
 * classes run one at a time here (no parallel execution is configured), which a field shared by subclasses of a
 * common base relies on.
 */
public final class DockerRegistryExtension implements BeforeAllCallback, AfterAllCallback {
    private DockerRegistryProcess process;
    private Path dir;

    /** Creates an extension; the registry starts before the test class's first test. */
    public DockerRegistryExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("bst-registry-");
        process = DockerRegistryProcess.start(dir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (process != null) {
                process.close();
            }
        } finally {
            process = null;
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                dir = null;
            }
        }
    }

    /** The running registry; fails when called outside the test class's lifetime. */
    public DockerRegistryProcess process() {
        if (process == null) {
            throw new IllegalStateException("the registry runs only while its test class does");
        }
        return process;
    }

    /** {@link DockerRegistryProcess#url()} of the running registry. */
    public String url() {
        return process().url();
    }

    /** {@link DockerRegistryProcess#hostPort()} of the running registry. */
    public String hostPort() {
        return process().hostPort();
    }

    /** {@link DockerRegistryProcess#blobFile(String)} of the running registry. */
    public Path blobFile(String hex) {
        return process().blobFile(hex);
    }
}
