package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.store.manifest.ManifestParser;
import io.bpfstore.store.manifest.PackageManifest;
import io.bpfstore.store.image.SemVer;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A test host for the installation commands: two network namespaces joined by a veth pair (10.78.0.1 in
 * {@link #nsA}, 10.78.0.2 on {@link #ifB} in {@link #nsB}), a private bpffs mount, a state directory and a cgroup,
 * all named with a {@code bst-} prefix and this process's pid, removed by {@link #close} (a reaper removes what
 * killed runs left).
 */
final class InstallHost implements AutoCloseable {
    private static final Path CGROUP_ROOT = io.bpfstore.kernel.inventory.CgroupScan.cgroup2Root()
            .orElseThrow(() -> new AssertionError("no cgroup2 hierarchy is mounted; cgroup tests need one"));

    final String nsA;
    final String nsB;
    final String ifA;
    final String ifB;
    final Path bpffs;
    final Path pins;
    final Path state;
    final Path cgroup;
    /** This host's policy: the packages the tests install are local, unsigned builds, so it allows unsigned ones. */
    final Path policy;

    private InstallHost(String tag, Path work) throws IOException {
        long pid = ProcessHandle.current().pid();
        nsA = "bst-i" + pid + tag + "a";
        nsB = "bst-i" + pid + tag + "b";
        ifA = "bst" + pid + tag + "a";
        ifB = "bst" + pid + tag + "b";
        bpffs = Path.of("/tmp", "bst-test-" + pid + "-install" + tag);
        pins = bpffs.resolve("bpfstore");
        state = work.resolve("state");
        cgroup = CGROUP_ROOT.resolve("bst-i" + pid + tag);
        policy = work.resolve("policy.yaml");
        Files.createDirectories(work);
        Files.writeString(policy, "allow-unsigned: yes\n");
    }

    /** Sets up a host; {@code tag} (one letter) keeps hosts of one run apart. */
    static InstallHost create(String tag, Path work) throws IOException {
        assertEquals("0", ExternalTool.output("id", "-u").strip(), "installation tests need root; they do not skip");
        reapEarlierRuns();
        InstallHost h = new InstallHost(tag, work);
        try {
            ExternalTool.output("ip", "netns", "add", h.nsA);
            ExternalTool.output("ip", "netns", "add", h.nsB);
            ExternalTool.output("ip", "link", "add", h.ifA, "netns", h.nsA, "type", "veth", "peer", "name", h.ifB, "netns", h.nsB);
            ExternalTool.output("ip", "-n", h.nsA, "addr", "add", "10.78.0.1/24", "dev", h.ifA);
            ExternalTool.output("ip", "-n", h.nsB, "addr", "add", "10.78.0.2/24", "dev", h.ifB);
            ExternalTool.output("ip", "-n", h.nsA, "link", "set", h.ifA, "up");
            ExternalTool.output("ip", "-n", h.nsB, "link", "set", h.ifB, "up");
            ExternalTool.output("ip", "-n", h.nsA, "link", "set", "lo", "up");
            Files.createDirectories(h.bpffs);
            ExternalTool.output("mount", "-t", "bpf", "bpf", h.bpffs.toString());
            Files.createDirectories(h.cgroup);
            return h;
        } catch (RuntimeException | Error e) {
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
        quietly("umount", bpffs.toString());
        try {
            Files.deleteIfExists(bpffs);
        } catch (IOException ignored) {
            // reaped next run
        }
        quietly("ip", "netns", "del", nsA);
        quietly("ip", "netns", "del", nsB);
        try {
            Files.deleteIfExists(cgroup);
        } catch (IOException ignored) {
            // reaped next run
        }
    }

    private static void quietly(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            // nothing to undo
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes namespaces, mounts and cgroups of earlier runs whose process is gone. */
    static void reapEarlierRuns() throws IOException {
        Pattern mount = Pattern.compile("/tmp/bst-test-(\\d+)-install[\\w-]*");
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            Matcher m = f.length > 2 ? mount.matcher(f[1]) : null;
            if (m != null && m.matches() && (f[2].equals("bpf") || f[2].equals("tracefs")) && dead(m.group(1))) {
                quietly("umount", f[1]);
                Files.deleteIfExists(Path.of(f[1]));
            }
        }
        Pattern ns = Pattern.compile("bst-i(\\d+)\\w*");
        for (String line : ExternalTool.output("ip", "netns", "list").split("\n")) {
            String name = line.split(" ")[0];
            Matcher m = ns.matcher(name);
            if (m.matches() && dead(m.group(1))) {
                quietly("ip", "netns", "del", name);
            }
        }
        try (Stream<Path> s = Files.list(CGROUP_ROOT)) {
            for (Path p : s.toList()) {
                Matcher m = ns.matcher(p.getFileName().toString());
                if (m.matches() && dead(m.group(1))) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static boolean dead(String pid) {
        return ProcessHandle.of(Long.parseLong(pid)).isEmpty();
    }

    /**
     * The example {@code name} (e.g. {@code xdp_counter}) packaged from its compiled object and its manifest, with
     * {@code version} instead of the manifest's, written as an OCI layout under {@code dir}.
     */
    static Path layout(String name, String version, Path dir) throws IOException {
        Path object = ExampleObjects.dir().resolve(name + ".o");
        Path yaml = ExampleObjects.dir().getParent().getParent().resolve("src").resolve(name + ".bpfstore.yaml");
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
