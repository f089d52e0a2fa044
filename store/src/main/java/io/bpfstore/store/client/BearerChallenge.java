package io.bpfstore.store.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code WWW-Authenticate: Bearer realm="…",service="…",scope="…"} challenge (RFC 6750 with Docker's
 * parameters): where to get a token, for which service and scope.
 *
 * @param realm   the token endpoint URL
 * @param service the service name to send, may be empty
 * @param scope   the scope to ask for, may be empty
 */
public record BearerChallenge(String realm, String service, String scope) {
    /** Parses a header value; empty when it is not a Bearer challenge with a realm. */
    public static Optional<BearerChallenge> parse(String header) {
        if (header == null || header.length() > 4096) {
            return Optional.empty();
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        int i = 7;
        while (i < h.length()) {
            while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
                i++;
            }
            int eq = h.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = h.substring(i, eq).strip().toLowerCase(java.util.Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < h.length() && h.charAt(i) == '"') {
                i++;
                while (i < h.length() && h.charAt(i) != '"') {
                    if (h.charAt(i) == '\\' && i + 1 < h.length()) {
                        i++;
                    }
                    value.append(h.charAt(i++));
                }
                i++;
            } else {
                while (i < h.length() && h.charAt(i) != ',') {
                    value.append(h.charAt(i++));
                }
            }
            params.put(key, value.toString().strip());
        }
        String realm = params.get("realm");
        if (realm == null || realm.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BearerChallenge(realm, params.getOrDefault("service", ""),
                params.getOrDefault("scope", "")));
    }
}
