package io.bpfstore.kernel.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the external programs the kernel layer is compared with (bpftool, a C compiler) and checks the
 * preconditions of kernel tests. Everything missing fails the test loudly; nothing is skipped.
 */
public final class Oracles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Oracles() {
    }

    /** Fails unless the tests run as root: loading programs needs CAP_BPF/CAP_SYS_ADMIN (CI runs as root). */
    public static void requireRoot() {
        String uid;
        try {
            uid = run(List.of("id", "-u")).trim();
        } catch (RuntimeException e) {
            throw new AssertionError("cannot determine the uid (id -u): " + e.getMessage(), e);
        }
        if (!"0".equals(uid)) {
            fail("kernel tests need root (CAP_BPF, CAP_SYS_ADMIN); they run as uid " + uid
                    + ". Run them as root (CI does); they do not skip.");
        }
    }

    /** Runs {@code bpftool --json <args>} and parses its output. */
    public static JsonNode bpftool(String... args) {
        List<String> command = new ArrayList<>(List.of("bpftool", "--json"));
        command.addAll(List.of(args));
        try {
            return JSON.readTree(run(command));
        } catch (IOException e) {
            throw new AssertionError("bpftool printed something that is not JSON: " + e.getMessage(), e);
        }
    }

    /** Runs a command, returns its standard output, fails on a non-zero exit or a missing binary. */
    public static String run(List<String> command) {
        return run(command, null);
    }

    /** Runs a command in {@code directory}, returns its standard output, fails on a non-zero exit. */
    public static String run(List<String> command, Path directory) {
        return ExternalTool.run(directory, command).requireSuccess().out();
    }
}
