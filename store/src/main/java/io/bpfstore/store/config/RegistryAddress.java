package io.bpfstore.store.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Registry addresses as users write them: {@code https://registry.example}, {@code http://127.0.0.1:5000}, or a
 * bare {@code host[:port]} (https, except plain http for loopback, as Docker treats localhost as insecure-allowed).
 */
public final class RegistryAddress {
    private RegistryAddress() {
    }

    /** The base URL of the registry written as {@code text}. */
    public static URI parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new ConfigException("registry", "empty address");
        }
        if (!t.contains("://")) {
            String host = t.replaceAll(":\\d+$", "");
            boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
            t = (loopback ? "http://" : "https://") + t;
        }
        try {
            URI uri = new URI(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException("registry", "\"" + text + "\" is not an http(s) address");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())) {
                throw new ConfigException("registry", "\"" + text + "\" must be just scheme://host[:port]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException("registry", "\"" + text + "\" is not an address: " + e.getReason());
        }
    }
}
