package io.bpfstore.store.config;

import io.bpfstore.bytecode.Reportable;

/** A configuration or credentials file, or a registry address, that cannot be used; says which and why. */
public final class ConfigException extends RuntimeException implements Reportable {
    private static final long serialVersionUID = 1L;

    /** {@code where} (a file or setting) is unusable because of {@code problem}. */
    public ConfigException(String where, String problem) {
        super(where + ": " + problem);
    }
}
