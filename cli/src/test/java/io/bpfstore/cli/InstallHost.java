package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.SemVer;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.store.manifest.ManifestParser;
import io.bpfstore.store.manifest.PackageManifest;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import io.bpfstore.testsupport.VethHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A test host for the installation commands: the shared {@link VethHost} (10.78.0.1 in {@link #nsA}, 10.78.0.2 on
 * {@link #ifB} in {@link #nsB}, a private bpffs mount) with a state directory, a policy and a cgroup, all named with
 * a {@code bst-i} prefix and this process's pid, removed by {@link #close} (what killed runs left is reaped by the
 * next run).
 */
final class InstallHost extends VethHost {
    private static final Path CGROUP_ROOT = io.bpfstore.kernel.inventory.CgroupScan.cgroup2Root()
            .orElseThrow(() -> new AssertionError("no cgroup2 hierarchy is mounted; cgroup tests need one"));

    final Path pins;
    final Path state;
    final Path cgroup;
    /** This host's policy: the packages the tests install are local, unsigned builds, so it allows unsigned ones. */
    final Path policy;

    private InstallHost(String tag, Path work) throws IOException {
        super("i", "install", tag, "10.78.0");
        pins = bpffs.resolve("bpfstore");
        state = work.resolve("state");
        cgroup = CGROUP_ROOT.resolve("bst-i" + ProcessHandle.current().pid() + tag);
        policy = work.resolve("policy.yaml");
        Files.createDirectories(work);
        Files.writeString(policy, "allow-unsigned: yes\n");
    }

    /** Sets up a host; {@code tag} (one letter) keeps hosts of one run apart. */
    static InstallHost create(String tag, Path work) throws IOException {
        InstallHost h = new InstallHost(tag, work);
        h.setUp("installation tests");
        try {
            reapCgroups(h.names());
            Files.createDirectories(h.cgroup);
            return h;
        } catch (IOException | RuntimeException | Error e) {
            h.close();
            throw e;
        }
    }

    /** Runs a bpfstore command with this host's state directory and bpffs folder. */
    Cli.Result run(String... args) {
        return Cli.run(arguments(args).toArray(String[]::new));
    }

    /**
     * {@code args} with this host's state directory and bpffs folder, and for install and upgrade its policy
     * (unless the test names one).
     */
    List<String> arguments(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--state-dir", state.toString(), "--bpffs", pins.toString()));
        boolean admits = args.length > 0 && (args[0].equals("install") || args[0].equals("upgrade"));
        if (admits && !all.contains("--policy")) {
            all.addAll(List.of("--policy", policy.toString()));
        }
        return all;
    }

    /** The command line running bpfstore {@code args} (with this host's places) in a new JVM. */
    List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(arguments(args));
        return command;
    }

    /** Runs a command that must succeed. */
    Cli.Result ok(String... args) {
        Cli.Result r = run(args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + " failed: " + r.err() + r.out());
        return r;
    }

    /** Sends {@code count} pings from A to B (replies do not matter: XDP may drop them). */
    void ping(int count) {
        try {
            Process p = new ProcessBuilder("ip", "netns", "exec", nsA, "ping", "-q", "-c", Integer.toString(count),
                    "-i", "0.05", "-W", "1", "10.78.0.2").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "ping timed out");
        } catch (IOException e) {
            throw new AssertionError("cannot run ping (iputils-ping)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Mounts a tracefs of this test at /tmp/bst-test-PID-{@code name} (tracepoint packages attach through tracefs,
     * which the host may not have mounted); {@link Tracefs#close} unmounts it.
     */
    static Tracefs tracefs(String name) throws IOException {
        Path dir = Path.of("/tmp", "bst-test-" + ProcessHandle.current().pid() + "-" + name);
        Files.createDirectories(dir);
        ExternalTool.output("mount", "-t", "tracefs", "tracefs", dir.toString());
        return new Tracefs(dir);
    }

    /** A tracefs mount made by {@link #tracefs}: closing it unmounts it and removes its directory. */
    record Tracefs(Path dir) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            ExternalTool.output("umount", dir.toString());
            Files.deleteIfExists(dir);
        }
    }

    /** Every pin file under the bpffs folder. */
    List<Path> pinFiles() throws IOException {
        if (!Files.exists(pins)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(pins)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Override
    public void close() {
        super.close();
        try {
            Files.deleteIfExists(cgroup);
        } catch (IOException ignored) {
            // reaped next run
        }
    }

    /** Removes the cgroups of earlier runs whose process is gone. */
    private static void reapCgroups(Pattern names) throws IOException {
        try (Stream<Path> s = Files.list(CGROUP_ROOT)) {
            for (Path p : s.toList()) {
                Matcher m = names.matcher(p.getFileName().toString());
                if (m.matches() && dead(m.group(1))) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * The example {@code name} (e.g. {@code xdp_counter}) packaged from its compiled object and its manifest, with
     * {@code version} instead of the manifest's, written as an OCI layout under {@code dir}.
     */
    static Path layout(String name, String version, Path dir) throws IOException {
        return layout(ExampleObjects.dir().resolve(name + ".o"),
                ExampleObjects.dir().getParent().getParent().resolve("src").resolve(name + ".bpfstore.yaml"), version, dir);
    }

    /** An OCI layout of {@code object} with the manifest {@code yaml} at {@code version}, in {@code dir}. */
    static Path layout(Path object, Path yaml, String version, Path dir) throws IOException {
        String name = object.getFileName().toString().replaceFirst("\\.o$", "");
        PackageManifest m = ManifestParser.read(yaml);
        m = new PackageManifest(m.name(), m.namespace(), new SemVer(version), m.description(), m.license(),
                m.homepage(), m.authors(), m.permissions(), m.hooks(), name + ".o");
        byte[] bytes = Files.readAllBytes(object);
        Image image = PackageBuilder.build(BpfObject.parse(bytes, name), bytes, name + ".o", m);
        Path out = dir.resolve(name + "-" + version);
        OciLayout.write(image, version, out);
        return out;
    }
}
