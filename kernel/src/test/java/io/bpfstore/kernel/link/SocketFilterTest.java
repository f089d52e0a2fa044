package io.bpfstore.kernel.link;

import static io.bpfstore.kernel.testing.TestCode.returning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.ProgramSpec;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.RunStatistics;
import io.bpfstore.kernel.testing.Leftovers;
import io.bpfstore.kernel.testing.TestNetwork;
import io.bpfstore.kernel.testing.UdpSocket;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A socket filter that drops everything, on a UDP socket inside a test namespace: datagrams sent to the
 * socket do not arrive while it is attached (and the program's run count says it saw each), and arrive
 * again once the handle detaches it.
 */
class SocketFilterTest {
    @RegisterExtension
    static final Leftovers LEFT = new Leftovers();

    @Test
    void dropAllFilterHidesDatagramsUntilDetached() throws Exception {
        int port = 6123;
        int count = 5;
        try (TestNetwork net = TestNetwork.create(); RunStatistics stats = RunStatistics.enable();
             BpfProgram dropAll = BpfProgram.load(ProgramSpec.of("bst_sock_drop", ProgramType.SOCKET_FILTER,
                     returning(0)))) {
            LEFT.programs(List.of(dropAll.id()));
            InetAddress a = InetAddress.getByName(net.ipv4A());
            net.a().run(() -> {
                try (UdpSocket socket = UdpSocket.bind(a.getAddress(), port)) {
                    try (SocketFilterAttachment filter = SocketFilter.attach(dropAll, socket.fd())) {
                        send(net, a, port, count);
                        assertEquals(0, socket.drain(), "datagrams got past a filter that keeps 0 bytes");
                        assertEquals(count, dropAll.info().runCount(), "the filter ran once per datagram");
                    }
                    send(net, a, port, count);
                    assertEquals(count, socket.drain(), "datagrams after the filter was detached");
                    assertEquals(count, dropAll.info().runCount(), "a detached filter no longer runs");
                }
                return null;
            });
            BpfException notSocket = assertThrows(BpfException.class, () -> SocketFilter.attach(dropAll, 0));
            assertTrue(notSocket.getMessage().startsWith("attach program \"bst_sock_drop\""), notSocket.getMessage());
            assertTrue(notSocket.getMessage().contains("ENOTSOCK") || notSocket.getMessage().contains("errno 88"),
                    notSocket.getMessage());
        }
    }

    private static void send(TestNetwork net, InetAddress to, int port, int count) throws Exception {
        net.b().run(() -> {
            try (DatagramSocket sender = new DatagramSocket()) {
                for (int i = 0; i < count; i++) {
                    sender.send(new DatagramPacket(new byte[16], 16, to, port));
                }
            }
            return null;
        });
        Thread.sleep(100); // veth delivery is asynchronous (backlog processing)
    }
}
