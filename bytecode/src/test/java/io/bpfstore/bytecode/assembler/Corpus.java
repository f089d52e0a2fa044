package io.bpfstore.bytecode.assembler;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The external test corpora (conformance and verifier suites written outside this project), found through one
 * setting: the system property {@code bpfstore.corpus}, which the parent pom sets from the environment variable
 * {@code BPFSTORE_CORPUS}, by default {@code ../shared/corpus} beside the checkout. Where the folder is absent, a
 * test that needs it is skipped with the reason (a JUnit assumption, and a line on stderr so it is seen), unless
 * {@code BPFSTORE_REQUIRE_CORPUS} is set (CI sets it), when it fails instead.
 */
public final class Corpus {
    /** Environment variable that turns a missing corpus from a skip into a failure. */
    static final String REQUIRE_ENV = "BPFSTORE_REQUIRE_CORPUS";

    private Corpus() {
    }

    /**
     * Skips a whole test class, reported as skipped with the reason, when the corpus is missing (and not required):
     * {@code @ExtendWith(Corpus.Required.class)}.
     */
    public static final class Required implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Path root = Path.of(System.getProperty("bpfstore.corpus", "../shared/corpus"));
            if (Files.isDirectory(root) || System.getenv(REQUIRE_ENV) != null) {
                return ConditionEvaluationResult.enabled("corpus at " + root);
            }
            String reason = missing(root);
            System.err.println("WARNING: " + context.getDisplayName() + ": " + reason);
            return ConditionEvaluationResult.disabled(reason);
        }
    }

    private static String missing(Path root) {
        return "external test corpus " + root.toAbsolutePath().normalize() + " is missing (set BPFSTORE_CORPUS or "
                + "-Dbpfstore.corpus to its folder): corpus tests SKIPPED";
    }

    /** The corpus root; skips the calling test (or fails it, under {@link #REQUIRE_ENV}) when it is missing. */
    public static Path root() {
        String dir = System.getProperty("bpfstore.corpus");
        assertNotNull(dir, "system property bpfstore.corpus is not set (the parent pom sets it)");
        Path root = Path.of(dir);
        if (!Files.isDirectory(root)) {
            String reason = missing(root);
            assertTrue(System.getenv(REQUIRE_ENV) == null, reason.replace("SKIPPED", "required by " + REQUIRE_ENV));
            System.err.println("WARNING: " + reason);
            Assumptions.abort(reason);
        }
        return root;
    }

    /** The files in {@code folder} (relative to the root) whose names end in {@code suffix}, sorted. */
    public static List<Path> files(String folder, String suffix) {
        try (Stream<Path> s = Files.list(root().resolve(folder))) {
            List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
            assertFalse(files.isEmpty(), "no *" + suffix + " files in " + root().resolve(folder));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file's text. */
    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
