package io.bpfstore.registry.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** One HTTP request and its response, for handlers that block on a virtual thread. */
public final class Exchange {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Fields query;
    private boolean completed;
    private boolean bodyRead;
    private IntConsumer beforeResponse = status -> { };

    /** Wraps what Jetty passed to {@code Handler.handle}. */
    public Exchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    }

    /** The method, upper case. */
    public String method() {
        return request.getMethod();
    }

    /** The path as sent (still percent-encoded), without the query. */
    public String rawPath() {
        String p = request.getHttpURI().getPath();
        return p == null ? "/" : p;
    }

    /** The first value of a query parameter. */
    public Optional<String> query(String name) {
        Fields.Field f = query.get(name);
        return f == null ? Optional.empty() : Optional.ofNullable(f.getValue());
    }

    /** Every value of a query parameter. */
    public List<String> queryAll(String name) {
        Fields.Field f = query.get(name);
        return f == null ? List.of() : f.getValues();
    }

    /** A request header. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    /** The declared body length, or -1 if not declared (chunked). */
    public long contentLength() {
        return request.getHeaders().getLongField("Content-Length");
    }

    /** {@code scheme://host[:port]} as the client addressed this server (for absolute URLs such as a realm). */
    public String baseUrl() {
        String host = request.getHeaders().get("Host");
        if (host == null || host.isBlank()) {
            host = Request.getServerName(request) + ":" + Request.getServerPort(request);
        }
        return request.getHttpURI().getScheme() + "://" + host;
    }

    /** The request body as a stream; read it at most once. */
    public InputStream body() {
        return Content.Source.asInputStream(request);
    }

    /** Reads the whole body, failing with {@link BodyTooLargeException} past {@code limit} bytes. */
    public byte[] readBody(int limit) throws IOException, BodyTooLargeException {
        long declared = contentLength();
        if (declared > limit) {
            throw new BodyTooLargeException(limit);
        }
        try (InputStream in = body()) {
            byte[] data = in.readNBytes(limit + 1);
            if (data.length > limit) {
                throw new BodyTooLargeException(limit);
            }
            bodyRead = true;
            return data;
        }
    }

    /** Sets a response header (before responding). */
    public Exchange header(String name, String value) {
        response.getHeaders().put(name, value);
        return this;
    }

    /** Adds a response header that may repeat. */
    public Exchange addHeader(String name, String value) {
        response.getHeaders().add(new HttpField(name, value));
        return this;
    }

    /** Sends {@code body} with the status and content type; for HEAD, only the headers. */
    public void respond(int status, String contentType, byte[] body) {
        begin(status);
        if (contentType != null) {
            response.getHeaders().put("Content-Type", contentType);
        }
        response.getHeaders().put("Content-Length", Long.toString(body.length));
        boolean head = "HEAD".equals(method());
        response.write(true, head || body.length == 0 ? null : ByteBuffer.wrap(body), callback);
    }

    /** Sends an empty body; {@code Content-Length: 0} unless a length header was set for a HEAD answer. */
    public void respondEmpty(int status) {
        begin(status);
        if (!response.getHeaders().contains("Content-Length")) {
            response.getHeaders().put("Content-Length", "0");
        }
        response.write(true, null, callback);
    }

    /** Streams {@code length} bytes from {@code in} (closed afterwards); for HEAD, only the headers. */
    public void respondStream(int status, String contentType, long length, InputStream in) throws IOException {
        begin(status);
        response.getHeaders().put("Content-Type", contentType);
        response.getHeaders().put("Content-Length", Long.toString(length));
        try (in) {
            if ("HEAD".equals(method())) {
                response.write(true, null, callback);
                return;
            }
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                copy(in, out, length);
            }
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
            throw e;
        }
    }

    /** Fails the exchange without a response (the connection is aborted); for errors after bytes were sent. */
    public void abort(Throwable cause) {
        if (!completed) {
            completed = true;
            callback.failed(cause);
        }
    }

    /**
     * Calls {@code listener} with the status of the response before any of it is sent (so what it records is
     * recorded before the client can see the answer and send its next request); if it throws, nothing was sent.
     */
    public void beforeResponse(IntConsumer listener) {
        this.beforeResponse = listener;
    }

    /** True once a response was started. */
    public boolean isCompleted() {
        return completed;
    }

    private void begin(int status) {
        if (completed) {
            throw new IllegalStateException("response already sent");
        }
        beforeResponse.accept(status);
        completed = true;
        response.setStatus(status);
        if (status >= 400 && !bodyRead && hasBody()) {
            // refused before its body was read (e.g. a 401 to an anonymous upload): the rest of the body must not be
            // read as the next request, and draining megabytes for a refusal is work for an anonymous caller, so the
            // connection ends after this response and the client is told so
            response.getHeaders().put("Connection", "close");
        }
    }

    /** Whether the request declares a body (a length above zero, or chunked). */
    private boolean hasBody() {
        return contentLength() > 0 || request.getHeaders().contains("Transfer-Encoding");
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("blob ended " + left + " bytes early");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }
}
