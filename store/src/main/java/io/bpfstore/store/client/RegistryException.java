package io.bpfstore.store.client;

import io.bpfstore.bytecode.Reportable;

/**
 * A registry refused or failed a request: carries the HTTP status and the registry's error code
 * ({@code BLOB_UNKNOWN}, {@code MANIFEST_UNKNOWN}, {@code DENIED}, {@code UNAUTHORIZED}, the store API's codes,
 * or {@code HTTP_<status>} when the body had none).
 */
public final class RegistryException extends RuntimeException implements Reportable {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    /** {@code action} (e.g. "pull manifest examples/xdp:1.0.0") failed with {@code status}/{@code code}. */
    public RegistryException(String action, int status, String code, String message) {
        super(action + ": " + code + (message == null || message.isBlank() ? "" : " — " + message)
                + (status > 0 ? " (HTTP " + status + ")" : ""));
        this.status = status;
        this.code = code;
    }

    /** A transport failure (connection refused, reset, truncated). */
    public RegistryException(String action, String problem, Throwable cause) {
        super(action + ": " + problem, cause);
        this.status = 0;
        this.code = "TRANSPORT";
    }

    /** HTTP status, 0 for transport failures. */
    public int status() {
        return status;
    }

    /** The registry's error code. */
    public String code() {
        return code;
    }

    /** The message; an authentication failure also says how to sign in. */
    @Override
    public String userMessage() {
        String m = Reportable.super.userMessage();
        return status == 401 && !m.contains("bpfstore login") ? m + "; sign in with: bpfstore login" : m;
    }
}
