package io.bpfstore.store.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A publisher's credentials for one registry: the publisher name and its API token.
 *
 * @param username publisher name
 * @param password API token
 */
public record Credentials(String username, String password) {
    /** The HTTP Basic authorization header value. */
    public String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", password hidden]";
    }
}
