package io.bpfstore.registry.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Renders the errors Jetty raises before any handler runs (e.g. a URI containing {@code %00}) as JSON
 * instead of an HTML page clients cannot parse. Jetty no longer knows the original path of such a request, so
 * the body carries both envelopes: the distribution spec's {@code errors} array (code {@code NAME_INVALID}:
 * names are the part of a {@code /v2} URI a client most often gets wrong) and the store API's {@code error}.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final ObjectMapper json = new ObjectMapper();

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String text = message == null ? "bad request" : message;
        ObjectNode body = json.createObjectNode();
        ObjectNode oci = body.putArray("errors").addObject();
        oci.put("code", code == 400 ? "NAME_INVALID" : code == 404 ? "NAME_UNKNOWN" : "UNSUPPORTED");
        oci.put("message", "malformed request");
        oci.put("detail", text);
        ObjectNode api = body.putObject("error");
        api.put("code", code == 404 ? "not_found" : "bad_request");
        api.put("message", text);
        response.getHeaders().put("Content-Type", "application/json");
        response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
    }
}
