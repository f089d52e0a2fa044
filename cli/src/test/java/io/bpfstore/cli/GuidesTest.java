package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.kernel.RunStatistics;
import io.bpfstore.testsupport.ExternalTool;
import io.bpfstore.testsupport.FreePort;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the task guides of docs/guides as written, so they cannot go stale: every fenced {@code ```sh} block, in
 * order, in one working directory, through bash with {@code -euo pipefail}; a block fails the test when a command
 * fails or when a {@code #> TEXT} line of it names output that did not appear. The conventions (placeholders,
 * ports, the network namespace, what the test prepares) are stated in each guide's source, in the comment at its
 * top; in short:
 * <ul>
 *   <li>{@code ./bpfstore} is the CLI (here a script in the working directory running this build's classes);
 *   <li>{@code 127.0.0.1:5000}, {@code 0.0.0.0:5000} and {@code registry.example:5000} become a free loopback port;
 *       {@code /var/lib/bpfstore-registry} a temporary data directory; {@code ~} a temporary home;
 *   <li>the network namespace {@code demo} gets a unique {@code bst-} name; installations pin into a bpffs the
 *       test mounts, and record into a temporary state directory;
 *   <li>a block marked {@code ```sh background} runs until the guides end (the registry), and the next block
 *       waits for its port; one marked {@code ```sh after=GUIDE} runs once that guide has run; {@code $TOKEN} is
 *       the token the guide's {@code publisher create} printed;
 *   <li>a block whose info string names a file ({@code ```c file=count.c}) is written to that file.
 * </ul>
 * Everything the guides create (the registry process, the namespace, the bpffs mount) is removed afterwards.
 */
class GuidesTest {
    private static final Path GUIDES = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/guides");
    private static final Pattern BLOCK = Pattern.compile(
            "(?m)^```(?:sh( background| after=[a-z-]+)?|\\w+ file=([\\w.-]+))\\n(.*?)^```$", Pattern.DOTALL);
    private static final Pattern TOKEN = Pattern.compile("bpfs_[A-Za-z0-9_-]{43}");

    @TempDir
    Path work;

    private final List<Process> background = new ArrayList<>();
    private final String netns = "bst-g" + ProcessHandle.current().pid();
    private final Path bpffs = Path.of("/tmp", "bst-test-" + ProcessHandle.current().pid() + "-guides");
    /** The install guide turns the kernel's run statistics on for the whole host, as a reader would: restored after. */
    private final String statsBefore = readStats();

    private static String readStats() {
        try {
            return Files.readString(RunStatistics.SYSCTL).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (!readStats().equals(statsBefore)) {
            Files.writeString(RunStatistics.SYSCTL, statsBefore);
        }
        for (Process p : background) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        ExternalTool.run("ip", "netns", "del", netns);
        ExternalTool.run("umount", bpffs.toString());
        Files.deleteIfExists(bpffs);
    }

    @Test
    void theGuidesRunAsWritten() throws Exception {
        int port = FreePort.onLoopback();
        Path home = Files.createDirectories(work.resolve("home"));
        Path cwd = Files.createDirectories(work.resolve("cwd"));
        Files.createDirectories(bpffs);
        ExternalTool.output("mount", "-t", "bpf", "bpf", bpffs.toString());
        writeLauncher(cwd, home);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("BPFSTORE_STATE_DIR", work.resolve("state").toString());
        env.put("BPFSTORE_BPFFS", bpffs.resolve("bpfstore").toString());
        env.put("PATH", System.getenv("PATH"));
        // what the guides assume exists: a key pair of the publisher in the working directory (run-a-registry
        // registers signing.pub), and for install-on-a-host the example package examples/xdp-counter@1.0.0 signed
        // with it — pushed once the guide's registry runs
        assertEquals(0, Cli.run("keygen", "--out", cwd.toString()).exit());
        Map<String, String> places = Map.of("127.0.0.1:5000", "127.0.0.1:" + port, "0.0.0.0:5000", "127.0.0.1:" + port,
                "registry.example:5000", "127.0.0.1:" + port, "/var/lib/bpfstore-registry",
                work.resolve("registry-data").toString());
        Map<String, List<String>> deferred = new LinkedHashMap<>();
        for (String guide : List.of("run-a-registry.md", "publish-your-own-program.md", "install-on-a-host.md")) {
            if (guide.equals("install-on-a-host.md")) {
                publishExample(port, cwd, work.resolve("registry-data"));
            }
            String text = Files.readString(GUIDES.resolve(guide));
            assertTrue(text.startsWith("<!--") && text.contains("GuidesTest"), guide + " states its test conventions");
            Matcher m = BLOCK.matcher(text);
            int blocks = 0;
            while (m.find()) {
                if (m.group(2) != null) {
                    Files.writeString(cwd.resolve(m.group(2)), m.group(3));  // a file the guide shows
                    continue;
                }
                blocks++;
                String script = m.group(3);
                for (Map.Entry<String, String> p : places.entrySet()) {
                    script = script.replace(p.getKey(), p.getValue());
                }
                script = script.replaceAll("(netns add |netns del |-n |--netns )demo\\b", "$1" + netns);
                if (m.group(1) != null && m.group(1).startsWith(" after=")) {
                    deferred.computeIfAbsent(m.group(1).substring(7) + ".md", g -> new ArrayList<>()).add(script);
                } else if (m.group(1) != null) {
                    startInBackground(guide, script, cwd, env, port);
                } else {
                    run(guide, script, cwd, env);
                }
            }
            assertTrue(blocks > 0, guide + " has sh blocks");
            for (String script : deferred.getOrDefault(guide, List.of())) {
                run(guide + " (after it)", script, cwd, env);
            }
        }
    }

    /** Runs one block; checks its exit status and its {@code #>} lines; keeps exports and a printed token. */
    private void run(String guide, String script, Path cwd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(cwd.toFile())
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), guide + ": block did not finish:\n" + script);
        assertEquals(0, p.exitValue(), () -> guide + ": block failed:\n" + script + "\n--- output:\n" + out);
        for (String line : script.lines().toList()) {
            if (line.strip().startsWith("#> ")) {
                String expected = line.strip().substring(3);
                assertTrue(out.contains(expected), guide + ": \"" + expected + "\" not in the output of:\n" + script
                        + "\n--- output:\n" + out);
            }
            Matcher export = Pattern.compile("^export (\\w+)=(\\S+)$").matcher(line.strip());
            if (export.matches()) {
                env.put(export.group(1), export.group(2));
            }
        }
        Matcher token = TOKEN.matcher(out);
        if (token.find() && !env.containsKey("TOKEN")) {
            env.put("TOKEN", token.group());
        }
    }

    private void startInBackground(String guide, String script, Path cwd, Map<String, String> env, int port)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", "exec " + script.strip())
                .directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("background.log").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        background.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), () -> guide + ": " + script + " stopped: " + log());
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError(guide + ": nothing listens on " + port + " after 60 s: " + log());
    }

    private String log() {
        try {
            return Files.readString(work.resolve("background.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** {@code ./bpfstore}: this build's CLI on the test's class path, with {@code ~} the test's home. */
    private static void writeLauncher(Path cwd, Path home) throws IOException {
        Path launcher = cwd.resolve("bpfstore");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -Duser.home='" + home + "' -cp '"
                + System.getProperty("java.class.path") + "' " + Main.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The package install-on-a-host installs: examples/xdp-counter@1.0.0, signed with ./signing.key. */
    private void publishExample(int port, Path cwd, Path data) throws Exception {
        String url = "http://127.0.0.1:" + port;
        Cli.Result created = Cli.run("publisher", "create", "examples", "--namespace", "examples", "--data",
                data.toString());
        assertEquals(0, created.exit(), created.err());
        System.setProperty("bpfstore.config", work.resolve("setup/config.yaml").toString());
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream((created.out().strip() + "\n").getBytes(StandardCharsets.UTF_8)));
            assertEquals(0, Cli.run("login", "--registry", url, "--username", "examples", "--password-stdin").exit());
            Cli.Result push = Cli.run("push", InstallHost.layout("xdp_counter", "1.0.0", work).toString(), "--sign",
                    cwd.resolve("signing.key").toString());
            assertEquals(0, push.exit(), push.err());
        } finally {
            System.setIn(stdin);
            System.clearProperty("bpfstore.config");
        }
    }
}
