package io.bpfstore.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests that install on an {@link InstallHost}: a fresh work directory per test (the packages built for
 * it, the host's state directory and policy) and a reader for what the commands print with {@code -o json}.
 */
abstract class InstallHostTest {
    /** Reads the commands' JSON output. */
    static final ObjectMapper JSON = new ObjectMapper();

    /** The current test's work directory. */
    @TempDir
    Path work;
}
