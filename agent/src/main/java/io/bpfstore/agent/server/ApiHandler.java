package io.bpfstore.agent.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.agent.api.AgentJson;
import io.bpfstore.agent.api.ApiException;
import io.bpfstore.agent.api.FollowRule;
import io.bpfstore.agent.event.AgentEvent;
import io.bpfstore.agent.event.EventKind;
import io.bpfstore.agent.event.EventLog;
import io.bpfstore.agent.follow.FollowRules;
import io.bpfstore.agent.local.LocalInstallations;
import io.bpfstore.install.NotInstalledException;
import io.bpfstore.install.api.DoctorResult;
import io.bpfstore.install.api.InstallRequest;
import io.bpfstore.install.api.InstallResult;
import io.bpfstore.install.api.InstallationView;
import io.bpfstore.install.api.Target;
import io.bpfstore.install.api.Trust;
import io.bpfstore.install.api.UpgradeRequest;
import io.bpfstore.install.api.UpgradeResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.SelectableChannelEndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The {@code /v1/} routes (docs/agent-api.yaml): reads are open to every local user, changes and installation data
 * ({@link DataStream}) need {@link Caller#mayChange root or the admin group}; a refused request gets a 4xx with {@code {"error": "..."}} (one
 * line) and changes nothing.
 */
final class ApiHandler extends Handler.Abstract {
    /** Largest request body accepted. */
    static final int MAX_BODY = 64 * 1024;
    /** Seconds between keep-alive comments on an idle event stream (so a dead client is noticed). */
    static final long KEEPALIVE_SECONDS = 15;
    private static final Logger LOG = Logger.getLogger("bpfstore.agent");
    /** An installation name (install maps dots to underscores for its id). */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private final LocalInstallations installations;
    private final EventLog events;
    private final FollowRules follow;
    private final Supplier<JsonNode> inventory;
    private final Optional<String> adminGroup;
    private final DataStream data;

    ApiHandler(LocalInstallations installations, EventLog events, FollowRules follow, Supplier<JsonNode> inventory,
               Optional<String> adminGroup) {
        this.installations = installations;
        this.events = events;
        this.follow = follow;
        this.inventory = inventory;
        this.adminGroup = adminGroup;
        this.data = new DataStream(installations);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        try {
            Caller caller = caller(request);
            if (!method.equals("GET") && !caller.mayChange(adminGroup)) {
                throw new ApiException(403, "user " + caller.user() + " (group " + caller.group() + ") may only read; "
                        + method + " " + path + " needs root" + adminGroup.map(g -> " or group " + g).orElse(""));
            }
            if (method.equals("GET") && DataStream.matches(path)) {
                String name = path.split("/")[3];
                if (!NAME.matcher(name).matches()) {
                    throw new ApiException(400, "installation name \"" + name + "\": use 1 to 64 of a-z 0-9 _ - . "
                            + "(starting with a letter or digit)");
                }
                if (!caller.mayChange(adminGroup)) {
                    throw new ApiException(403, "user " + caller.user() + " (group " + caller.group() + ") may not read "
                            + "installation data: it needs root" + adminGroup.map(g -> " or group " + g).orElse("")
                            + " (what packages collect can be other users' traffic and processes)");
                }
                data.handle(request, response, callback, name);
                return true;
            }
            if (method.equals("GET") && path.equals("/v1/events")) {
                streamEvents(request, response, callback);
                return true;
            }
            JsonNode result = route(method, path, request, caller);
            send(response, callback, method.equals("POST") && path.equals("/v1/installations") ? 201 : 200, result);
        } catch (ApiException e) {
            send(response, callback, e.status(), error(e.getMessage()));
        } catch (RuntimeException e) {
            ApiException mapped = ApiErrors.of(e);
            if (mapped.status() >= 500) {
                LOG.log(Level.WARNING, method + " " + path + ": " + e, e);
            }
            send(response, callback, mapped.status(), error(mapped.getMessage()));
        }
        return true;
    }

    private JsonNode route(String method, String path, Request request, Caller caller) {
        String[] parts = path.split("/", -1);
        if (parts.length < 3 || !parts[1].equals("v1")) {
            throw new ApiException(404, "no route " + path + " (the API is under /v1/, see docs/agent-api.yaml)");
        }
        String resource = parts[2];
        String name = parts.length > 3 ? parts[3] : null;
        String action = parts.length > 4 ? parts[4] : null;
        if (parts.length > 5 || (name != null && name.isEmpty())) {
            throw new ApiException(404, "no route " + path);
        }
        if (name != null && !NAME.matcher(name).matches()) {
            throw new ApiException(400, "installation name \"" + name + "\": use 1 to 64 of a-z 0-9 _ - . (starting "
                    + "with a letter or digit)");
        }
        return switch (resource + ":" + method + ":" + (name == null ? "" : "N") + (action == null ? "" : ":" + action)) {
            case "ping:GET:" -> json().put("agent", "bpfstore").put("api", "v1").put("caller", caller.toString())
                    .put("may_change", caller.mayChange(adminGroup));
            case "installations:GET:" -> tree(installations.list());
            case "installations:POST:" -> {
                InstallResult done = installations.install(complete(body(request, InstallRequest.class)));
                publish(EventKind.INSTALLED, done.installation(), "installed by " + caller);
                yield tree(done);
            }
            case "installations:GET:N" -> tree(existing(name, () -> installations.status(name)));
            case "installations:DELETE:N" -> {
                existing(name, () -> {
                    installations.uninstall(name);
                    return null;
                });
                events.publish(new AgentEvent(Instant.now(), EventKind.UNINSTALLED, Optional.of(name),
                        "uninstalled by " + caller, Map.of()));
                follow.remove(name);
                yield json().put("uninstalled", name);
            }
            case "installations:POST:N:upgrade" -> {
                UpgradeRequest body = complete(body(request, UpgradeRequest.class));
                String id = body.name() == null ? "" : body.name().split("@", 2)[0];
                if (!id.equals(name)) {
                    throw new ApiException(400, "the request upgrades \"" + body.name() + "\" but the path names " + name);
                }
                UpgradeResult done = existing(name, () -> installations.upgrade(body));
                publish(EventKind.UPGRADED, done.installation(), "upgraded from " + done.previousVersion() + " by " + caller);
                yield tree(done);
            }
            case "inventory:GET:" -> inventory.get();
            case "check:POST:" -> io.bpfstore.agent.local.HostCheck.run(body(request,
                    io.bpfstore.agent.api.CheckRequest.class), installations);
            case "doctor:GET:" -> doctor(false);
            case "doctor:POST:N" -> {
                if (!name.equals("repair")) {
                    throw new ApiException(404, "no route " + path + " (POST /v1/doctor/repair repairs)");
                }
                yield doctor(true);
            }
            case "follow:GET:" -> follow.listJson();
            case "follow:PUT:N" -> follow.put(name, body(request, FollowRule.class));
            case "follow:DELETE:N" -> {
                if (!follow.remove(name)) {
                    throw new ApiException(404, "no follow rule for " + name);
                }
                yield json().put("unfollowed", name);
            }
            default -> throw new ApiException(resourceKnown(resource) ? 405 : 404, (resourceKnown(resource)
                    ? "method " + method + " not allowed on " : "no route ") + path);
        };
    }

    /**
     * Doctor's report, plus the installations restore kept out since the agent started (their records are gone
     * once install's gates refused them, so only the events remember).
     */
    private JsonNode doctor(boolean repair) {
        DoctorResult report = installations.doctor(repair);
        List<String> problems = new ArrayList<>(report.problems());
        events.recent(Optional.empty()).stream().filter(e -> e.kind() == EventKind.RESTORE_REFUSED)
                .forEach(e -> problems.add("restore kept " + e.installation().orElse("?") + " out: " + e.message()));
        return tree(new DoctorResult(problems, report.repaired()));
    }

    /** {@code r} with an absent target (tracing packages need none) and trust taking their defaults. */
    private static InstallRequest complete(InstallRequest r) {
        if (r.reference() == null || r.reference().isBlank()) {
            throw new ApiException(400, "install: reference (the package to install) is missing");
        }
        return new InstallRequest(r.reference(), r.target() == null ? Target.none() : r.target(), r.program(),
                r.name(), r.priority(), r.proceedOn(), r.beforeForeign(), r.force(),
                r.trust() == null ? Trust.defaults() : r.trust(), r.globals());
    }

    private static UpgradeRequest complete(UpgradeRequest r) {
        return r.trust() != null ? r : new UpgradeRequest(r.name(), r.from(), r.resetMaps(), Trust.defaults(), r.allowDowngrade());
    }

    /**
     * Runs {@code action} on installation {@code name}, a 404 when it is not installed: found by the operation itself,
     * under the state lock (no separate look first). Installation ids have no dots (install maps them to
     * underscores), so a name with one names none.
     */
    private <T> T existing(String name, Supplier<T> action) {
        if (name.indexOf('.') >= 0) {
            throw new ApiException(404, name + " is not installed");
        }
        try {
            return action.get();
        } catch (NotInstalledException e) {
            throw new ApiException(404, e.getMessage(), e);
        }
    }

    private static ObjectNode json() {
        return AgentJson.mapper().createObjectNode();
    }

    private static JsonNode tree(Object value) {
        return value instanceof List<?> list ? json().set("installations", AgentJson.mapper().valueToTree(list))
                : AgentJson.mapper().valueToTree(value);
    }

    private static boolean resourceKnown(String resource) {
        return switch (resource) {
            case "ping", "installations", "inventory", "check", "doctor", "follow", "events" -> true;
            default -> false;
        };
    }

    private void publish(EventKind kind, InstallationView i, String how) {
        events.publish(new AgentEvent(Instant.now(), kind, Optional.of(i.name()), i.repository() + " " + i.version()
                + " on " + i.target() + ", " + how, Map.of("package", i.repository(), "version", i.version(),
                "digest", i.digest())));
    }

    /**
     * {@code GET /v1/events[?follow=true][&format=sse][&installation=NAME]}: the kept events as JSON lines (or
     * server-sent events), then, when following, each new one as it happens.
     */
    private void streamEvents(Request request, Response response, Callback callback) {
        Fields query = Request.extractQueryParameters(request);
        boolean followOn = "true".equals(query.getValue("follow"));
        boolean sse = "sse".equals(query.getValue("format"));
        Optional<String> only = Optional.ofNullable(query.getValue("installation"));
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, sse ? "text/event-stream" : "application/x-ndjson");
        BlockingQueue<AgentEvent> queue = followOn ? events.subscribe() : null;
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            for (AgentEvent e : events.recent(only)) {
                out.write(frame(e, sse));
            }
            out.flush();
            while (queue != null && events.subscribed(queue)) {
                AgentEvent e = queue.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
                if (e == null) {
                    out.write(sse ? ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8) : "\n".getBytes(StandardCharsets.UTF_8));
                } else if (only.isEmpty() || e.installation().equals(only)) {
                    out.write(frame(e, sse));
                }
                out.flush();
            }
            callback.succeeded();
        } catch (IOException | InterruptedException e) {
            callback.failed(e); // the client went away
        } finally {
            if (queue != null) {
                events.unsubscribe(queue);
            }
        }
    }

    private static byte[] frame(AgentEvent e, boolean sse) throws JsonProcessingException {
        String json = AgentJson.mapper().writeValueAsString(EventLog.toJson(e));
        return (sse ? "event: " + e.kind().label() + "\ndata: " + json + "\n\n" : json + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Caller caller(Request request) {
        if (request.getConnectionMetaData().getConnection().getEndPoint() instanceof SelectableChannelEndPoint ep) {
            Optional<Caller> c = Caller.of(ep.getChannel());
            if (c.isPresent()) {
                return c.get();
            }
        }
        throw new ApiException(403, "cannot tell who is calling (no peer credentials): only the unix socket serves the API");
    }

    private static <T> T body(Request request, Class<T> type) {
        long declared = request.getLength();
        if (declared > MAX_BODY) {
            throw new ApiException(413, "request body of " + declared + " bytes is larger than " + MAX_BODY);
        }
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw new ApiException(400, "cannot read the request body: " + e.getMessage());
        }
        if (bytes.length > MAX_BODY) {
            throw new ApiException(413, "request body is larger than " + MAX_BODY + " bytes");
        }
        if (bytes.length == 0) {
            throw new ApiException(400, "request body is empty: a JSON object (" + type.getSimpleName() + ") is expected");
        }
        try {
            return AgentJson.mapper().readValue(bytes, type);
        } catch (IOException e) {
            throw new ApiException(400, "malformed " + type.getSimpleName() + ": " + ApiErrors.firstLine(
                    e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    private static ObjectNode error(String message) {
        return AgentJson.mapper().createObjectNode().put("error", ApiErrors.oneLine(message));
    }

    private static void send(Response response, Callback callback, int status, JsonNode body) {
        try {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            byte[] bytes = (AgentJson.mapper().writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8);
            response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
        } catch (JsonProcessingException e) {
            callback.failed(e);
        }
    }
}
