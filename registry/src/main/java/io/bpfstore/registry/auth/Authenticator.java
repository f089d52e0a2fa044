package io.bpfstore.registry.auth;

import io.bpfstore.registry.storage.Accounts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/** Identifies callers from {@code Authorization} headers and decides what they may do. */
public final class Authenticator {
    private final Accounts accounts;
    private final TokenSigner signer;
    private final AccessPolicy policy;
    private final Clock clock;

    /** Wires the parts together. */
    public Authenticator(Accounts accounts, TokenSigner signer, AccessPolicy policy, Clock clock) {
        this.accounts = accounts;
        this.signer = signer;
        this.policy = policy;
        this.clock = clock;
    }

    /** The access policy. */
    public AccessPolicy policy() {
        return policy;
    }

    /** Who sent a request with this {@code Authorization} header. */
    public Caller identify(Optional<String> authorization) {
        if (authorization.isEmpty() || authorization.get().isBlank()) {
            return new Caller.Anonymous();
        }
        String value = authorization.get().strip();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        String credentials = space < 0 ? "" : value.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("Bearer")) {
            if (ApiToken.looksLike(credentials)) {
                return accounts.publisherForToken(ApiToken.hash(credentials))
                        .<Caller>map(Caller.Publisher::new)
                        .orElse(new Caller.Rejected("unknown API token"));
            }
            return switch (signer.verify(credentials, clock.instant())) {
                case TokenCheck.Valid v -> new Caller.Token(v.grant());
                case TokenCheck.Expired e -> new Caller.Rejected("token expired");
                case TokenCheck.Invalid i -> new Caller.Rejected("invalid token: " + i.reason());
            };
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            return basicPublisher(credentials)
                    .<Caller>map(Caller.Publisher::new)
                    .orElse(new Caller.Rejected("bad publisher name or API token"));
        }
        return new Caller.Rejected("unsupported authorization scheme " + scheme);
    }

    /**
     * Whether an {@code Authorization} header presents a secret a client could guess at (a publisher's API token,
     * as Basic or Bearer, or any other scheme) rather than a token this registry signed, which its signature
     * settles. Only the former are login attempts that the failed-login limit checks before they are looked at.
     */
    public static boolean isLoginAttempt(String authorization) {
        String value = authorization.strip();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return true;
        }
        return ApiToken.looksLike(value.substring(7).strip());
    }

    /** The user name of a {@code Basic} Authorization header, if it is one (for counting failed logins). */
    public static Optional<String> basicUser(String authorization) {
        String value = authorization.strip();
        if (!value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(value.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon > 0 ? Optional.of(decoded.substring(0, Math.min(colon, 256))) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The publisher whose name and API token are the Basic credentials, if they match. */
    public Optional<String> basicPublisher(String base64) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String user = decoded.substring(0, colon);
        String token = decoded.substring(colon + 1);
        if (!ApiToken.looksLike(token)) {
            return Optional.empty();
        }
        return accounts.publisherForToken(ApiToken.hash(token)).filter(user::equals);
    }

    /** Whether {@code caller} may do {@code action} on {@code repository}. */
    public Decision decide(Caller caller, String repository, Action action) {
        if (caller instanceof Caller.Rejected r) {
            return new Decision.Challenge("invalid_token", r.reason());
        }
        if (policy.allows(Optional.empty(), repository, action)) {
            return new Decision.Allow();
        }
        return switch (caller) {
            case Caller.Anonymous a -> new Decision.Challenge(null, "authentication required");
            case Caller.Publisher p -> policy.allows(Optional.of(p.name()), repository, action)
                    ? new Decision.Allow()
                    : new Decision.Deny(p.name() + " may not " + action.wireName() + " " + repository);
            case Caller.Token t -> {
                if (t.grant().allows(repository, action)) {
                    yield new Decision.Allow();
                }
                Optional<String> subject = t.grant().subject();
                if (subject.isEmpty()) {
                    yield new Decision.Challenge("insufficient_scope", "authentication required");
                }
                yield policy.allows(subject, repository, action)
                        ? new Decision.Challenge("insufficient_scope", "token lacks " + action.wireName()
                                + " on " + repository)
                        : new Decision.Deny(subject.get() + " may not " + action.wireName() + " " + repository);
            }
            case Caller.Rejected r -> throw new IllegalStateException("handled above");
        };
    }

    /** The publisher behind a caller, if authenticated. */
    public static Optional<String> publisherOf(Caller caller) {
        return switch (caller) {
            case Caller.Publisher p -> Optional.of(p.name());
            case Caller.Token t -> t.grant().subject();
            case Caller.Anonymous a -> Optional.empty();
            case Caller.Rejected r -> Optional.empty();
        };
    }
}
