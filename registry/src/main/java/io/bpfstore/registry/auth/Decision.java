package io.bpfstore.registry.auth;

/** Whether a caller may do an action on a repository. */
public sealed interface Decision {
    /** Go ahead. */
    record Allow() implements Decision {
    }

    /**
     * Authenticate (again): answer 401 with a Bearer challenge.
     *
     * @param error the RFC 6750 error to put in the challenge ({@code invalid_token},
     *              {@code insufficient_scope}), or null
     * @param reason message for the client
     */
    record Challenge(String error, String reason) implements Decision {
    }

    /** The caller is known and may not do this: 403. @param reason message for the client */
    record Deny(String reason) implements Decision {
    }
}
