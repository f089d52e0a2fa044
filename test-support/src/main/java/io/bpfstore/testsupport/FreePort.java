package io.bpfstore.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks a TCP port that is free on the loopback interface, for servers a test starts. The port is released before
 * returning, so another process could take it in between; tests accept that small race rather than hard-code ports
 * that concurrent builds would clash on.
 */
public final class FreePort {
    private FreePort() {
    }

    /** A port that was free on 127.0.0.1 a moment ago. */
    public static int onLoopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
