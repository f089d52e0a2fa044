package io.bpfstore.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpfstore.install.HookTarget;
import io.bpfstore.install.InstallLayout;
import io.bpfstore.install.TestInstalls;
import io.bpfstore.install.Installer;
import io.bpfstore.install.PackageSource;
import io.bpfstore.install.PausePoints;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test host for the agent's kernel-facing parts: two network namespaces joined by a veth pair ({@link #ifB} in
 * {@link #nsB}), a private bpffs mount and a state directory, named with a {@code bst-} prefix and this process's pid
 * and removed by {@link #close} (what killed runs left is reaped by the next one).
 */
public final class AgentTestHost implements AutoCloseable {
    public final String nsA;
    public final String nsB;
    public final String ifA;
    public final String ifB;
    public final Path bpffs;
    public final InstallLayout layout;
    private final List<Installer> open = new ArrayList<>();

    private AgentTestHost(String tag, Path work) {
        long pid = ProcessHandle.current().pid();
        nsA = "bst-w" + pid + tag + "a";
        nsB = "bst-w" + pid + tag + "b";
        ifA = "bstw" + pid + tag + "a";
        ifB = "bstw" + pid + tag + "b";
        bpffs = Path.of("/tmp", "bst-test-" + pid + "-agent" + tag);
        layout = new InstallLayout(work.resolve("state"), bpffs.resolve("bpfstore"));
    }

    /** Sets up a host; {@code tag} (one letter) keeps hosts of one run apart. */
    public static AgentTestHost create(String tag, Path work) throws IOException {
        assertEquals("0", ExternalTool.output("id", "-u").strip(), "agent tests need root; they do not skip");
        reapEarlierRuns();
        AgentTestHost h = new AgentTestHost(tag, work);
        try {
            ExternalTool.output("ip", "netns", "add", h.nsA);
            ExternalTool.output("ip", "netns", "add", h.nsB);
            ExternalTool.output("ip", "link", "add", h.ifA, "netns", h.nsA, "type", "veth", "peer", "name", h.ifB, "netns", h.nsB);
            ExternalTool.output("ip", "-n", h.nsA, "addr", "add", "10.79.0.1/24", "dev", h.ifA);
            ExternalTool.output("ip", "-n", h.nsB, "addr", "add", "10.79.0.2/24", "dev", h.ifB);
            ExternalTool.output("ip", "-n", h.nsA, "link", "set", h.ifA, "up");
            ExternalTool.output("ip", "-n", h.nsB, "link", "set", h.ifB, "up");
            Files.createDirectories(h.bpffs);
            ExternalTool.output("mount", "-t", "bpf", "bpf", h.bpffs.toString());
            return h;
        } catch (RuntimeException | Error e) {
            h.close();
            throw e;
        }
    }

    /** An installer over this host's state (closed with the host). */
    public Installer installer() {
        Installer in = Installer.open(layout, PausePoints.none());
        open.add(in);
        return in;
    }

    /** Installs the example object {@code example} (e.g. "xdp_counter") as {@code name} at {@code target}. */
    public static void install(Installer in, String example, String name, HookTarget target) {
        Path object = ExampleObjects.dir().resolve(example + ".o");
        TestInstalls.install(in, PackageSource.local(object.toString()), name, target, false);
    }

    /** XDP on {@link #ifB}. */
    public HookTarget.Xdp xdpB() {
        return new HookTarget.Xdp(ifB, Optional.of(nsB));
    }

    /** Runs a command in namespace B. */
    public String inB(String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", nsB));
        all.addAll(List.of(command));
        return ExternalTool.output(all);
    }

    @Override
    public void close() {
        for (Installer in : open) {
            try {
                for (var i : in.list()) {
                    in.uninstall(i.id());
                }
            } catch (RuntimeException e) {
                // the host goes below anyway: namespaces and the bpffs mount take what is left
            }
            in.close();
        }
        quietly("umount", bpffs.toString());
        try {
            Files.deleteIfExists(bpffs);
        } catch (IOException ignored) {
            // reaped next run
        }
        quietly("ip", "netns", "del", nsA);
        quietly("ip", "netns", "del", nsB);
    }

    static void quietly(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            // nothing to undo
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes namespaces and mounts of earlier runs whose process is gone. */
    static void reapEarlierRuns() throws IOException {
        Pattern mount = Pattern.compile("/tmp/bst-test-(\\d+)-agent\\w*");
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            Matcher m = f.length > 2 ? mount.matcher(f[1]) : null;
            if (m != null && m.matches() && f[2].equals("bpf") && dead(m.group(1))) {
                quietly("umount", f[1]);
                Files.deleteIfExists(Path.of(f[1]));
            }
        }
        Pattern ns = Pattern.compile("bst-w(\\d+)\\w*");
        for (String line : ExternalTool.output("ip", "netns", "list").split("\n")) {
            String name = line.split(" ")[0];
            Matcher m = ns.matcher(name);
            if (m.matches() && dead(m.group(1))) {
                quietly("ip", "netns", "del", name);
            }
        }
    }

    private static boolean dead(String pid) {
        return ProcessHandle.of(Long.parseLong(pid)).isEmpty();
    }
}
