package io.bpfstore.agent.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/** One HTTP/1.1 exchange per connection over a unix socket: request out, status and body (or body lines) in. */
final class UnixHttp {
    /** Largest response body read whole. */
    static final int MAX_RESPONSE = 64 << 20;

    /** A response: status and body. */
    record Response(int status, byte[] body) {
    }

    private UnixHttp() {
    }

    /**
     * Sends {@code method path} with an optional JSON {@code body} on {@code ch} (connected, unused: one exchange per
     * connection) and closes it; returns the whole response.
     */
    static Response exchange(SocketChannel ch, String method, String path, byte[] body) throws IOException {
        try (ch; InputStream in = Channels.newInputStream(ch)) {
            send(ch, method, path, body);
            Head head = Head.read(in);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            head.body(in, chunk -> {
                if (out.size() + chunk.length > MAX_RESPONSE) {
                    throw new IllegalStateException("agent response larger than " + MAX_RESPONSE + " bytes");
                }
                out.writeBytes(chunk);
            });
            return new Response(head.status, out.toByteArray());
        }
    }

    /**
     * Sends a GET and hands each line of the (streamed) body to {@code lines} until the agent ends it; a non-2xx
     * status returns early with the body.
     */
    static Response stream(SocketChannel ch, String path, Consumer<String> lines) throws IOException {
        try (ch; InputStream in = Channels.newInputStream(ch)) {
            send(ch, "GET", path, null);
            Head head = Head.read(in);
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            head.body(in, chunk -> {
                for (byte b : chunk) {
                    if (b == '\n') {
                        String line = pending.toString(StandardCharsets.UTF_8);
                        pending.reset();
                        if (head.status / 100 == 2) {
                            lines.accept(line);
                        } else {
                            pending.writeBytes(line.getBytes(StandardCharsets.UTF_8));
                        }
                    } else {
                        pending.write(b);
                    }
                }
            });
            return new Response(head.status, pending.toByteArray());
        }
    }

    /** A new connection to {@code socket}; nothing is sent. */
    static SocketChannel connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    private static void send(SocketChannel ch, String method, String path, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder().append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nConnection: close\r\nAccept: application/json\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(h.length + (body == null ? 0 : body.length));
        buf.put(h);
        if (body != null) {
            buf.put(body);
        }
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** The status line and the headers that frame the body. */
    private record Head(int status, long length, boolean chunked) {
        static Head read(InputStream in) throws IOException {
            String status = line(in);
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP response from the agent: " + status);
            }
            long length = -1;
            boolean chunked = false;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).strip();
                if (name.equals("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
            return new Head(Integer.parseInt(parts[1]), length, chunked);
        }

        void body(InputStream in, Consumer<byte[]> sink) throws IOException {
            if (chunked) {
                for (long size = Long.parseLong(line(in).split(";")[0].strip(), 16); size > 0;
                     size = Long.parseLong(line(in).split(";")[0].strip(), 16)) {
                    sink.accept(exactly(in, size));
                    line(in);
                }
            } else if (length >= 0) {
                sink.accept(exactly(in, length));
            } else {
                byte[] buf = new byte[8192];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    sink.accept(java.util.Arrays.copyOf(buf, n));
                }
            }
        }

        private static byte[] exactly(InputStream in, long n) throws IOException {
            if (n > MAX_RESPONSE) {
                throw new IOException("agent response chunk of " + n + " bytes is too large");
            }
            byte[] b = in.readNBytes((int) n);
            if (b.length != n) {
                throw new IOException("the agent closed the connection in the middle of a response");
            }
            return b;
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the agent closed the connection in the middle of a response");
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.US_ASCII);
        }
    }
}
