package io.bpfstore.registry.auth;

import io.bpfstore.store.image.Digest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** Publisher API tokens: 256 random bits behind a recognisable prefix; only the SHA-256 is ever stored. */
public final class ApiToken {
    /** Prefix that tells an API token from a signed bearer token. */
    public static final String PREFIX = "bpfs_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiToken() {
    }

    /** A new random token. */
    public static String generate() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The hex SHA-256 under which the token is stored. */
    public static String hash(String token) {
        return Digest.of(token.getBytes(StandardCharsets.UTF_8)).hex();
    }

    /** True if {@code text} has the shape of an API token. */
    public static boolean looksLike(String text) {
        return text.startsWith(PREFIX) && text.length() == PREFIX.length() + 43;
    }
}
