package io.bpfstore.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test host for installation tests (the CLI's and the agent's): two network namespaces joined by a veth pair
 * ({@code SUBNET.1} on {@link #ifA} in {@link #nsA}, {@code SUBNET.2} on {@link #ifB} in {@link #nsB}, loopback up in
 * A) and a private bpffs mount, all named with a {@code bst-} prefix, a one-letter kind and this process's pid so
 * that concurrent runs and suites stay apart. {@link #close} removes them; what killed runs left is reaped by the
 * next {@link #create} of the same kind.
 */
public class VethHost implements AutoCloseable {
    /** Namespace A's name. */
    public final String nsA;
    /** Namespace B's name. */
    public final String nsB;
    /** The veth end in A. */
    public final String ifA;
    /** The veth end in B. */
    public final String ifB;
    /** The private bpffs mount point. */
    public final Path bpffs;
    /** B's address, {@code SUBNET.2}. */
    public final String addressB;
    private final String kind;
    private final String mount;
    private final String subnet;

    /**
     * Names a host without creating anything (subclasses add their own parts, then call {@link #setUp}).
     *
     * @param kind   one letter naming the suite (its namespaces are {@code bst-KIND<pid>TAG[ab]})
     * @param mount  the word in the bpffs mount point {@code /tmp/bst-test-<pid>-MOUNT<tag>}
     * @param tag    one letter that keeps the hosts of one run apart
     * @param subnet the first three octets of the veth pair's /24
     */
    protected VethHost(String kind, String mount, String tag, String subnet) {
        long pid = ProcessHandle.current().pid();
        this.kind = kind;
        this.mount = mount;
        this.subnet = subnet;
        nsA = "bst-" + kind + pid + tag + "a";
        nsB = "bst-" + kind + pid + tag + "b";
        ifA = "bst" + kind + pid + tag + "a";
        ifB = "bst" + kind + pid + tag + "b";
        bpffs = Path.of("/tmp", "bst-test-" + pid + "-" + mount + tag);
        addressB = subnet + ".2";
    }

    /**
     * Creates the namespaces, the veth pair and the bpffs mount (after reaping what dead runs of this kind left);
     * on failure removes what it made.
     *
     * @param what the tests, for the message when they do not run as root (they do not skip)
     */
    protected final void setUp(String what) throws IOException {
        if (!"0".equals(ExternalTool.output("id", "-u").strip())) {
            throw new AssertionError(what + " need root; they do not skip");
        }
        reapEarlierRuns();
        try {
            ExternalTool.output("ip", "netns", "add", nsA);
            ExternalTool.output("ip", "netns", "add", nsB);
            ExternalTool.output("ip", "link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB);
            ExternalTool.output("ip", "-n", nsA, "addr", "add", subnet + ".1/24", "dev", ifA);
            ExternalTool.output("ip", "-n", nsB, "addr", "add", addressB + "/24", "dev", ifB);
            ExternalTool.output("ip", "-n", nsA, "link", "set", ifA, "up");
            ExternalTool.output("ip", "-n", nsB, "link", "set", ifB, "up");
            ExternalTool.output("ip", "-n", nsA, "link", "set", "lo", "up");
            Files.createDirectories(bpffs);
            ExternalTool.output("mount", "-t", "bpf", "bpf", bpffs.toString());
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Runs a command in namespace B. */
    public String inB(String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", nsB));
        all.addAll(List.of(command));
        return ExternalTool.output(all);
    }

    /** Unmounts the bpffs and removes the namespaces (with the veth pair); never throws. */
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
    }

    /** Runs {@code command}, ignoring how it ends (teardown of what may already be gone). */
    protected static void quietly(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            // nothing to undo
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The pattern of this kind's namespace (and cgroup) names; group 1 is the pid of the run that made it. */
    protected final Pattern names() {
        return Pattern.compile("bst-" + kind + "(\\d+)\\w*");
    }

    /** Removes the bpffs and tracefs mounts and the namespaces of earlier runs of this kind whose process is gone. */
    private void reapEarlierRuns() throws IOException {
        Pattern mounts = Pattern.compile("/tmp/bst-test-(\\d+)-" + mount + "[\\w-]*");
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            Matcher m = f.length > 2 ? mounts.matcher(f[1]) : null;
            if (m != null && m.matches() && (f[2].equals("bpf") || f[2].equals("tracefs")) && dead(m.group(1))) {
                quietly("umount", f[1]);
                Files.deleteIfExists(Path.of(f[1]));
            }
        }
        for (String line : ExternalTool.output("ip", "netns", "list").split("\n")) {
            String name = line.split(" ")[0];
            Matcher m = names().matcher(name);
            if (m.matches() && dead(m.group(1))) {
                quietly("ip", "netns", "del", name);
            }
        }
    }

    /** Whether the process {@code pid} is gone. */
    protected static boolean dead(String pid) {
        return ProcessHandle.of(Long.parseLong(pid)).isEmpty();
    }
}
