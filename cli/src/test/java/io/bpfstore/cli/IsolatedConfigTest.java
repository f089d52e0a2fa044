package io.bpfstore.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of CLI tests that log in, trust keys or pull: a fresh work directory per test and a per-test config file
 * (system property {@code bpfstore.config}, in {@code dir/config/}) so that they never touch the user's real config
 * (credentials, trusted keys, versions pulled) or leak into each other.
 */
abstract class IsolatedConfigTest {
    /** The current test's work directory. */
    @TempDir
    Path dir;

    @BeforeEach
    void isolateConfig() {
        System.setProperty("bpfstore.config", dir.resolve("config/config.yaml").toString());
    }

    @AfterEach
    void restoreConfig() {
        System.clearProperty("bpfstore.config");
    }
}
