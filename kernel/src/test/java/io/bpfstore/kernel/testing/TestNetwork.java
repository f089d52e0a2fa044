package io.bpfstore.kernel.testing;

import io.bpfstore.kernel.Netns;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Two network namespaces made for one test, named {@code bst-<pid>-<n>}, joined by a veth pair
 * ({@code veth-a} in A, {@code veth-b} in B) with IPv4 10.231.N.1/.2 and IPv6 fd00:N::1/::2 (N in hex) addresses
 * inside them, loopback up in both. Nothing in the root namespace is created, changed or attached to: every
 * {@code ip} call runs with {@code -n} or inside a namespace. {@link #close} deletes both namespaces (and
 * with them the veth pair, addresses, qdiscs and legacy attachments); {@link Reaper} deletes namespaces of
 * earlier runs whose process is gone.
 */
public final class TestNetwork implements AutoCloseable {
    /** The fixed prefix of every namespace these tests create. */
    public static final String PREFIX = "bst-";
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final long PID = ProcessHandle.current().pid();

    private final String nsA;
    private final String nsB;
    private final int subnet;

    private TestNetwork(String nsA, String nsB, int subnet) {
        this.nsA = nsA;
        this.nsB = nsB;
        this.subnet = subnet;
    }

    /** Reaps leftovers, then creates the two namespaces and the veth pair between them. */
    public static TestNetwork create() {
        Oracles.requireRoot();
        Reaper.reap();
        int n = NEXT.getAndAdd(2);
        String a = PREFIX + PID + "-" + n;
        String b = PREFIX + PID + "-" + (n + 1);
        int subnet = (int) ((PID * 7 + n) % 250) + 1;
        TestNetwork network = new TestNetwork(a, b, subnet);
        try {
            Oracles.run(List.of("ip", "netns", "add", a));
            Oracles.run(List.of("ip", "netns", "add", b));
            Oracles.run(List.of("ip", "-n", a, "link", "add", "veth-a", "type", "veth", "peer", "name", "veth-b", "netns", b));
            for (String[] side : new String[][] {{a, "veth-a", "1"}, {b, "veth-b", "2"}}) {
                // no router solicitations or DAD traffic disturbing exact counts
                Oracles.run(List.of("ip", "netns", "exec", side[0], "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0",
                        "net.ipv6.conf.default.accept_dad=0"));
                Oracles.run(List.of("ip", "-n", side[0], "addr", "add", "10.231." + subnet + "." + side[2] + "/24", "dev", side[1]));
                Oracles.run(List.of("ip", "-n", side[0], "addr", "add", "fd00:" + Integer.toHexString(subnet) + "::" + side[2]
                        + "/64", "dev", side[1], "nodad"));
                Oracles.run(List.of("ip", "-n", side[0], "link", "set", side[1], "up"));
                Oracles.run(List.of("ip", "-n", side[0], "link", "set", "lo", "up"));
            }
        } catch (RuntimeException | Error e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** Every named network namespace (files in /run/netns). */
    public static List<String> namespaces() {
        Path dir = Path.of("/run/netns");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list /run/netns: " + e.getMessage(), e);
        }
    }

    /** The name of namespace A. */
    public String nameA() {
        return nsA;
    }

    /** The name of namespace B. */
    public String nameB() {
        return nsB;
    }

    /** Namespace A for the link API. */
    public Netns a() {
        return Netns.named(nsA);
    }

    /** Namespace B for the link API. */
    public Netns b() {
        return Netns.named(nsB);
    }

    /** The IPv4 address of veth-a (in A). */
    public String ipv4A() {
        return "10.231." + subnet + ".1";
    }

    /** The IPv4 address of veth-b (in B). */
    public String ipv4B() {
        return "10.231." + subnet + ".2";
    }

    /** The IPv6 address of veth-a (in A). */
    public String ipv6A() {
        return "fd00:" + Integer.toHexString(subnet) + "::1";
    }

    /** Runs a command inside namespace {@code ns} and returns its output; fails on a non-zero exit. */
    public String exec(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        return Oracles.run(full);
    }

    /** Pings {@code address} {@code count} times from namespace {@code ns}, fast; fails unless all replies come. */
    public void ping(String ns, String address, int count, int payload) {
        exec(ns, "ping", "-q", "-n", "-c", Integer.toString(count), "-i", "0.01", "-W", "2", "-s", Integer.toString(payload),
                address);
    }

    /** Deletes both namespaces. */
    /**
     * Sends {@code count} UDP datagrams from namespace B to A's address, port {@code port}, with real sockets in each
     * namespace; returns how many A received (waiting 300 ms after the last one).
     */
    public int udpFromBToA(int port, int count) throws Exception {
        InetAddress a = InetAddress.getByName(ipv4A());
        try (DatagramSocket receiver = a().run(() -> new DatagramSocket(new InetSocketAddress(a, port)))) {
            receiver.setSoTimeout(300);
            b().run(() -> {
                try (DatagramSocket sender = new DatagramSocket()) {
                    for (int i = 0; i < count; i++) {
                        sender.send(new DatagramPacket(new byte[32], 32, a, port));
                    }
                }
                return null;
            });
            int received = 0;
            byte[] buffer = new byte[64];
            while (true) {
                try {
                    receiver.receive(new DatagramPacket(buffer, buffer.length));
                    received++;
                } catch (SocketTimeoutException e) {
                    return received;
                }
            }
        }
    }

    @Override
    public void close() {
        List<String> present = namespaces();
        for (String ns : List.of(nsA, nsB)) {
            if (present.contains(ns)) {
                Oracles.run(List.of("ip", "netns", "del", ns));
            }
        }
    }
}
