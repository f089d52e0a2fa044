package io.bpfstore.registry.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.RequestLogWriter;

/**
 * The access log: one line per request in the Common Log Format (NCSA: client, identity, user, time, request line,
 * status, bytes sent), to a file (appended) or standard error.
 */
final class AccessLog {
    /** The {@code --access-log} value meaning standard error. */
    static final String STDERR = "-";

    private AccessLog() {
    }

    /** The request log {@code destination} asks for; empty when there is none. */
    static Optional<RequestLog> of(Optional<String> destination) throws IOException {
        if (destination.isEmpty()) {
            return Optional.empty();
        }
        RequestLog.Writer writer;
        if (destination.get().equals(STDERR)) {
            writer = line -> {
                System.err.println(line);
            };
        } else {
            Path file = Path.of(destination.get()).toAbsolutePath();
            Files.createDirectories(file.getParent());
            RequestLogWriter w = new RequestLogWriter(file.toString());
            w.setAppend(true);
            writer = w;
        }
        return Optional.of(new CustomRequestLog(writer, CustomRequestLog.NCSA_FORMAT));
    }
}
