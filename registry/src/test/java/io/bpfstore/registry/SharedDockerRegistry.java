package io.bpfstore.registry;

import io.bpfstore.testsupport.DockerRegistryProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One docker-registry for every test class of the run that keeps blobs in an OCI registry (each test uses a
 * repository of its own), started at first use and stopped, its directory removed, when the test plan ends.
 */
final class SharedDockerRegistry implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedDockerRegistry.class);
    private static volatile Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NS).getOrComputeIfAbsent("registry", k -> {
            try {
                Path dir = Files.createTempDirectory("bst-blobs-backend-");
                running = new Running(dir, DockerRegistryProcess.start(dir));
                return running;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("start docker-registry: " + e.getMessage(), e);
            }
        }, Running.class);
    }

    /** The running registry (the test class must be extended with this extension). */
    static DockerRegistryProcess process() {
        if (running == null) {
            throw new IllegalStateException("extend the test class with SharedDockerRegistry");
        }
        return running.process();
    }

    /** The process and its directory, closed by JUnit with the root context. */
    record Running(Path dir, DockerRegistryProcess process) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            process.close();
            running = null;
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
