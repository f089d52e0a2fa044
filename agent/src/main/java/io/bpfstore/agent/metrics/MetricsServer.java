package io.bpfstore.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} on {@code --metrics-listen ADDR:PORT}: a small HTTP server (the JDK's) apart from the API's
 * unix socket, so Prometheus can scrape over TCP without reaching the API. Anything else gets 404 or 405.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Listens on {@code address} (port 0: a free one) and serves {@code metrics}.
     *
     * @throws IOException if the address cannot be bound
     */
    public static MetricsServer start(InetSocketAddress address, AgentMetrics metrics) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                    reply(exchange, 404, "text/plain; charset=utf-8", "not found: only /metrics is served here\n");
                } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    reply(exchange, 405, "text/plain; charset=utf-8", "method not allowed: GET /metrics\n");
                } else {
                    boolean head = exchange.getRequestMethod().equals("HEAD");
                    try {
                        // the text is made in the metrics' own buffer and sent from there: no copy per scrape
                        metrics.scrape((bytes, length) -> {
                            exchange.getResponseHeaders().set("Content-Type", metrics.contentType());
                            exchange.sendResponseHeaders(200, head ? -1 : length);
                            if (!head) {
                                try (OutputStream out = exchange.getResponseBody()) {
                                    out.write(bytes, 0, length);
                                }
                            }
                        });
                    } catch (RuntimeException e) {
                        reply(exchange, 500, "text/plain; charset=utf-8", "cannot read the metrics: " + e.getMessage() + "\n");
                    }
                }
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("bpfstore-metrics")
                .unstarted(r)));
        server.start();
        return new MetricsServer(server);
    }

    /** Parses {@code ADDR:PORT} ({@code [::1]:9100} for IPv6), as {@code --metrics-listen} takes it. */
    public static InetSocketAddress parseListen(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("--metrics-listen " + value + ": expected ADDR:PORT, e.g. 127.0.0.1:9464");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--metrics-listen " + value + ": the port must be 0..65535");
        }
        return new InetSocketAddress(host, port);
    }

    /** The address it listens on (with the port chosen when asked for 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void reply(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
