package io.bpfstore.registry.api;

/** A store-API request refused with a status, a machine-readable code and a message. */
final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String challenge;

    ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    ApiException(int status, String code, String message, String challenge) {
        super(message);
        this.status = status;
        this.code = code;
        this.challenge = challenge;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** A WWW-Authenticate value to send, or null. */
    String challenge() {
        return challenge;
    }

    static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found");
    }

    static ApiException badParameter(String message) {
        return new ApiException(400, "invalid_parameter", message);
    }
}
