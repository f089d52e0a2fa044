package io.bpfstore.registry.auth;

/** The outcome of checking a bearer token. */
public sealed interface TokenCheck {
    /** The token is authentic and current. @param grant what it grants */
    record Valid(Grant grant) implements TokenCheck {
    }

    /** The token is authentic but expired. */
    record Expired() implements TokenCheck {
    }

    /** The token is not one this registry signed, or is malformed. @param reason why, for logs */
    record Invalid(String reason) implements TokenCheck {
    }
}
