package io.bpfstore.agent.server;

import io.bpfstore.agent.api.AgentJson;
import io.bpfstore.agent.api.ApiException;
import io.bpfstore.agent.data.DataException;
import io.bpfstore.agent.data.InstallationData;
import io.bpfstore.agent.local.LocalInstallations;
import io.bpfstore.install.InstallationStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET /v1/installations/{name}/data[?map=MAP][&follow=true]}: what {@code bpfstore data} prints, as JSON lines
 * from {@link InstallationData} (the same code the CLI runs in-process): the maps' entries, or with {@code follow}
 * the ring buffer and perf event array records as programs write them, until the client goes away. The agent holds
 * the pins and the perf events; a refusal found before the first line (unknown installation or map, no map to
 * follow) is an ordinary JSON error.
 */
final class DataStream {
    /** How long one wait for records lasts before the connection is checked. */
    static final Duration WAIT = Duration.ofSeconds(1);
    /**
     * Idle time after which an empty line checks that the client is still there: short, because the agent holds the
     * perf events (and a perf event array's CPUs) for the client; on a unix socket the write after the peer left fails.
     */
    static final Duration KEEPALIVE = Duration.ofSeconds(2);

    private final LocalInstallations installations;

    DataStream(LocalInstallations installations) {
        this.installations = installations;
    }

    /** Whether {@code path} is a data route; {@code name} is then its third segment. */
    static boolean matches(String path) {
        String[] parts = path.split("/", -1);
        return parts.length == 5 && parts[1].equals("v1") && parts[2].equals("installations") && parts[4].equals("data");
    }

    void handle(Request request, Response response, Callback callback, String name) {
        Fields query = Request.extractQueryParameters(request);
        Optional<String> map = Optional.ofNullable(query.getValue("map"));
        boolean follow = "true".equals(query.getValue("follow"));
        if (installations.list().stream().noneMatch(i -> i.name().equals(name))) {
            throw new ApiException(404, name + " is not installed");
        }
        InstallationStatus status = installations.service().observe(name).status();
        Lines lines = new Lines(response);
        try {
            if (follow) {
                InstallationData.follow(status, map, lines::write, lines::closedOrIdle, WAIT);
            } else {
                InstallationData.read(status, map).forEach(lines::write);
            }
            lines.finish();
            callback.succeeded();
        } catch (UncheckedIOException e) {
            callback.failed(e.getCause()); // the client went away
        } catch (IOException e) {
            callback.failed(e);
        } catch (RuntimeException e) {
            if (lines.started()) {
                callback.failed(e); // the status is sent: the stream just ends
            } else if (e instanceof DataException) {
                throw new ApiException(map.isPresent() ? 404 : 400, e.getMessage());
            } else {
                throw e;
            }
        }
    }

    /** The response as JSON lines: committed at the first line, so that an early refusal can still be a 4xx. */
    private static final class Lines {
        private final Response response;
        private OutputStream out;
        private long lastWrite = System.nanoTime();
        private boolean closed;

        Lines(Response response) {
            this.response = response;
        }

        boolean started() {
            return out != null;
        }

        void write(Map<String, Object> line) {
            try {
                send((AgentJson.mapper().writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Whether to stop following: the client went away. An empty line after {@link #KEEPALIVE} finds out. */
        boolean closedOrIdle() {
            if (!closed && System.nanoTime() - lastWrite > KEEPALIVE.toNanos()) {
                try {
                    send("\n".getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    closed = true;
                }
            }
            return closed;
        }

        void finish() throws IOException {
            if (out == null) {
                open();
            }
            out.close();
        }

        private void send(byte[] bytes) throws IOException {
            if (out == null) {
                open();
            }
            out.write(bytes);
            out.flush();
            lastWrite = System.nanoTime();
        }

        private void open() {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
            out = Content.Sink.asOutputStream(response);
        }
    }
}
