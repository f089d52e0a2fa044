package io.bpfstore.registry.oci;

import java.util.LinkedHashMap;
import java.util.Map;

/** A request the distribution API refuses, with the code, status, message and detail to send back. */
public final class OciException extends Exception {
    private static final long serialVersionUID = 1L;

    private final OciError code;
    private final int status;
    private final String detail;
    private final transient Map<String, String> headers = new LinkedHashMap<>();

    /** @param code the spec code (and its default status) @param message what is wrong */
    public OciException(OciError code, String message) {
        this(code, code.status(), message, null);
    }

    /** @param code the spec code (and its default status) @param message what is wrong @param detail or null */
    public OciException(OciError code, String message, String detail) {
        this(code, code.status(), message, detail);
    }

    /** @param code the spec code @param status HTTP status @param message what is wrong @param detail or null */
    public OciException(OciError code, int status, String message, String detail) {
        super(message);
        this.code = code;
        this.status = status;
        this.detail = detail;
    }

    /** Adds a response header (a challenge, a Range). */
    public OciException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The spec code. */
    public OciError code() {
        return code;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** Extra detail (e.g. the unknown digest), or null. */
    public String detail() {
        return detail;
    }

    /** Headers to send with the error. */
    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }
}
