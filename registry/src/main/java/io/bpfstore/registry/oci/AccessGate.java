package io.bpfstore.registry.oci;

import io.bpfstore.registry.auth.Action;
import io.bpfstore.registry.auth.Authenticator;
import io.bpfstore.registry.auth.Caller;
import io.bpfstore.registry.auth.Decision;
import io.bpfstore.registry.auth.TokenEndpoint;
import io.bpfstore.registry.http.Exchange;

/** Turns access decisions into distribution-API answers: 401 with a Bearer challenge, or 403 DENIED. */
final class AccessGate {
    private final Authenticator authenticator;

    AccessGate(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    Authenticator authenticator() {
        return authenticator;
    }

    /** Returns the caller if it may do {@code action} on {@code repository}; throws the answer otherwise. */
    Caller require(Exchange ex, String repository, Action action) throws OciException {
        Caller caller = authenticator.identify(ex.header("Authorization"));
        switch (authenticator.decide(caller, repository, action)) {
            case Decision.Allow a -> {
                return caller;
            }
            case Decision.Challenge c -> throw unauthorized(ex, scope(repository, action), c.error(), c.reason());
            case Decision.Deny d -> throw new OciException(OciError.DENIED, "requested access to the resource is denied",
                    d.reason());
        }
    }

    /** True if the request's caller may do {@code action} on {@code repository}. */
    boolean permits(Exchange ex, String repository, Action action) {
        Caller caller = authenticator.identify(ex.header("Authorization"));
        return authenticator.decide(caller, repository, action) instanceof Decision.Allow;
    }

    /** A 401 carrying the challenge that tells clients where to get a token. */
    static OciException unauthorized(Exchange ex, String scope, String error, String reason) {
        StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(ex.baseUrl()).append("/token\",service=\"")
                .append(TokenEndpoint.SERVICE).append('"');
        if (scope != null) {
            challenge.append(",scope=\"").append(scope).append('"');
        }
        if (error != null) {
            challenge.append(",error=\"").append(error).append('"');
        }
        return new OciException(OciError.UNAUTHORIZED, "authentication required", reason)
                .withHeader("WWW-Authenticate", challenge.toString());
    }

    private static String scope(String repository, Action action) {
        return "repository:" + repository + ":" + switch (action) {
            case PULL -> "pull";
            case PUSH -> "pull,push";
            case DELETE -> "delete";
        };
    }

    /** True if the caller presented valid credentials (the base endpoint needs some valid token). */
    static boolean isAuthenticated(Caller caller) {
        return caller instanceof Caller.Token || caller instanceof Caller.Publisher;
    }
}
