package io.bpfstore.bytecode.btf;

import static org.junit.jupiter.api.Assertions.fail;

import io.bpfstore.testsupport.ExternalTool;
import io.bpfstore.testsupport.ScratchDirectory;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs an oracle or build tool (bpftool, llvm-*, clang) for a test. A missing tool or a failing run fails the test
 * loudly with the tool's stderr: CI installs every tool, so a silent skip would hide a broken setup.
 */
final class Tool {
    private Tool() {
    }

    /** Runs {@code command} to completion and returns its standard output as lines; fails on a non-zero exit. */
    static List<String> lines(String... command) {
        return ExternalTool.output(command).lines().toList();
    }

    /** Starts {@code command}; read its stdout, then call {@link #await}. */
    static Process start(String... command) {
        try {
            return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            return fail("test oracle '" + command[0] + "' cannot run (is it installed? scripts/setup installs it): "
                    + e.getMessage());
        }
    }

    /** Collects a started process's stderr in the background, so that a chatty tool cannot block. */
    static CompletableFuture<byte[]> stderr(Process p) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream err = p.getErrorStream()) {
                return err.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }

    /** Waits for {@code p} and fails with its stderr if it exited non-zero. */
    static void await(Process p, CompletableFuture<byte[]> err, String... command) {
        try {
            int rc = p.waitFor();
            if (rc != 0) {
                fail(String.join(" ", command) + " exited " + rc + ": "
                        + new String(err.join(), StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted waiting for " + command[0]);
        }
    }

    /** The bytes of ELF section {@code section} of {@code object}, dumped by llvm-objcopy. */
    static byte[] section(Path object, String section) {
        return ScratchDirectory.in("btf-section", dir -> {
            Path out = dir.resolve("section.bin");
            // llvm-objcopy rewrites its input unless given an output file: write the copy into the temp dir.
            ExternalTool.output("llvm-objcopy", "--dump-section", section + "=" + out, object.toString(),
                    dir.resolve("copy.o").toString());
            return Files.readAllBytes(out);
        });
    }

    private static final Map<Path, List<String>> SECTION_NAMES = new ConcurrentHashMap<>();

    /** Names of the ELF sections of {@code object}, read by llvm-readelf (once per test run). */
    static List<String> sectionNames(Path object) {
        return SECTION_NAMES.computeIfAbsent(object, Tool::readSectionNames);
    }

    private static List<String> readSectionNames(Path object) {
        return lines("llvm-readelf-19", "-S", "-W", object.toString()).stream()
                .map(String::strip)
                .filter(l -> l.startsWith("["))
                .map(l -> l.substring(l.indexOf(']') + 1).strip())
                .filter(l -> !l.startsWith("Name"))
                .map(l -> l.split("\\s+")[0])
                .toList();
    }
}
