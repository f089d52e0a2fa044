package io.bpfstore.registry.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.registry.http.Exchange;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /token}: trades HTTP Basic credentials (publisher name, API token) or nothing (anonymous) for a
 * signed bearer token granting the requested scopes as far as the policy allows.
 */
public final class TokenEndpoint {
    /** The service name clients must ask for. */
    public static final String SERVICE = "bpfstore";
    private static final int MAX_SCOPES = 16;

    private final Authenticator authenticator;
    private final TokenSigner signer;
    private final Duration lifetime;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    /** @param lifetime how long issued tokens stay valid */
    public TokenEndpoint(Authenticator authenticator, TokenSigner signer, Duration lifetime, Clock clock) {
        this.authenticator = authenticator;
        this.signer = signer;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** Answers one {@code /token} request. */
    public void handle(Exchange ex) {
        if (!ex.method().equals("GET")) {
            ex.header("Allow", "GET");
            error(ex, 405, "UNSUPPORTED", "use GET");
            return;
        }
        Optional<String> service = ex.query("service");
        if (service.isPresent() && !service.get().equals(SERVICE)) {
            error(ex, 400, "UNSUPPORTED", "unknown service " + service.get() + "; this is " + SERVICE);
            return;
        }
        Optional<String> subject = Optional.empty();
        Optional<String> auth = ex.header("Authorization");
        if (auth.isPresent()) {
            String value = auth.get().strip();
            if (!value.regionMatches(true, 0, "Basic ", 0, 6)
                    || (subject = authenticator.basicPublisher(value.substring(6).strip())).isEmpty()) {
                ex.header("WWW-Authenticate", "Basic realm=\"" + SERVICE + "\"");
                error(ex, 401, "UNAUTHORIZED", "bad publisher name or API token");
                return;
            }
        }
        List<String> requested = ex.queryAll("scope");
        if (requested.size() > MAX_SCOPES) {
            error(ex, 400, "UNSUPPORTED", "too many scopes");
            return;
        }
        List<Scope> granted = new ArrayList<>();
        for (String text : requested) {
            for (String one : text.split(" ")) { // some clients join scopes with spaces
                Optional<Scope> scope = Scope.parse(one);
                if (scope.isEmpty()) {
                    continue;
                }
                Set<Action> allowed = authenticator.policy().allowed(subject, scope.get());
                granted.add(new Scope(scope.get().type(), scope.get().name(), allowed));
            }
        }
        Instant now = clock.instant();
        String token = signer.sign(new Grant(subject, now, now.plus(lifetime), granted));
        ObjectNode body = json.createObjectNode();
        body.put("token", token);
        body.put("access_token", token);
        body.put("expires_in", lifetime.toSeconds());
        body.put("issued_at", now.toString());
        ex.header("Cache-Control", "no-store");
        ex.respond(200, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void error(Exchange ex, int status, String code, String message) {
        ObjectNode e = json.createObjectNode();
        ObjectNode one = e.putArray("errors").addObject();
        one.put("code", code);
        one.put("message", message);
        ex.respond(status, "application/json", e.toString().getBytes(StandardCharsets.UTF_8));
    }
}
