package io.bpfstore.store.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record of the highest versions pulled: it only rises, refuses lower versions, and survives concurrent runs. */
class PulledVersionsTest {
    private static final URI REGISTRY = URI.create("http://127.0.0.1:5000");

    @TempDir
    Path dir;

    @Test
    void refusesALowerVersionUnlessAllowedAndOnlyRises() {
        PulledVersions pulled = PulledVersions.beside(dir.resolve("config.yaml"));
        pulled.check(REGISTRY, "ns/a", "1.0.0", false);
        pulled.record(REGISTRY, "ns/a", "1.2.0");
        pulled.record(REGISTRY, "ns/a", "1.1.0");
        assertEquals(Optional.of("1.2.0"), pulled.highest(REGISTRY, "ns/a"));
        PulledVersions.DowngradeException e = assertThrows(PulledVersions.DowngradeException.class,
                () -> pulled.check(REGISTRY, "ns/a", "1.1.9", false));
        assertTrue(e.getMessage().contains("ns/a 1.1.9 is older than 1.2.0") && e.getMessage().contains("--allow-downgrade"),
                e.getMessage());
        pulled.check(REGISTRY, "ns/a", "1.1.9", true);
        pulled.check(REGISTRY, "ns/a", "1.2.0", false);  // the same version again is no downgrade
        pulled.check(REGISTRY, "ns/a", "1.10.0", false);  // semver order, not text order
        pulled.check(REGISTRY, "ns/b", "0.0.1", false);
        pulled.check(URI.create("http://other:5000"), "ns/a", "0.1.0", false);  // another registry, another record
        pulled.check(REGISTRY, "ns/a", "sha256:" + "0".repeat(64), false);  // not a version: nothing to compare
        assertEquals(Optional.of("1.2.0"), PulledVersions.beside(dir.resolve("config.yaml")).highest(REGISTRY, "ns/a"));
    }

    @Test
    void aDamagedRecordIsATypedErrorNamingTheFile() throws Exception {
        Path file = dir.resolve(PulledVersions.FILE);
        Files.writeString(file, "{not json");
        PulledVersions pulled = new PulledVersions(file);
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> pulled.check(REGISTRY, "ns/a", "1.0.0", false));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("remove it"), e.getMessage());
    }

    /** Threads of this process and other JVMs raise the record at once: none loses another's highest entry. */
    @Test
    void concurrentRunsKeepTheHighestOfEveryPackage() throws Exception {
        Path file = dir.resolve(PulledVersions.FILE);
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), Writer.class.getName(), file.toString(), "p" + p)
                    .inheritIO().start());
        }
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String who = "t" + t;
            done.add(threads.submit(() -> Writer.write(new PulledVersions(file), who)));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();
        for (Process p : processes) {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        }
        PulledVersions pulled = new PulledVersions(file);
        for (String who : List.of("p0", "p1", "p2", "t0", "t1", "t2", "t3")) {
            assertEquals(Optional.of("1." + (Writer.ROUNDS - 1) + ".0"), pulled.highest(REGISTRY, "ns/" + who), who);
            assertEquals(Optional.of("1." + (Writer.ROUNDS - 1) + ".0"), pulled.highest(REGISTRY, "ns/shared"));
        }
    }

    /** A writer: raises its own package and a shared one through versions 1.0.0 .. 1.(ROUNDS-1).0. */
    static final class Writer {
        static final int ROUNDS = 40;

        public static void main(String[] args) {
            write(new PulledVersions(Path.of(args[0])), args[1]);
        }

        static void write(PulledVersions pulled, String who) {
            for (int i = 0; i < ROUNDS; i++) {
                pulled.record(REGISTRY, "ns/" + who, "1." + i + ".0");
                pulled.record(REGISTRY, "ns/shared", "1." + (ROUNDS - 1 - i) + ".0");
            }
        }
    }
}
