package io.bpfstore.registry.auth;

/** Who sent a request, as far as its {@code Authorization} header says. */
public sealed interface Caller {
    /** No credentials. */
    record Anonymous() implements Caller {
    }

    /** A bearer token this registry signed. @param grant what it grants */
    record Token(Grant grant) implements Caller {
    }

    /** A publisher authenticated by an API token (Bearer or Basic). @param name the publisher */
    record Publisher(String name) implements Caller {
    }

    /** Credentials were sent but are bad or expired. @param reason what was wrong, safe to show */
    record Rejected(String reason) implements Caller {
    }
}
