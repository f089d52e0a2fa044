package io.bpfstore.install;

import io.bpfstore.bytecode.Reportable;

/**
 * A refusal or bad input while installing, upgrading or removing a package: the message names what and where
 * (the package, interface, namespace, cgroup or flag) and, where one exists, what to do about it. Nothing was left
 * attached or recorded when it is thrown.
 */
public class InstallException extends RuntimeException implements Reportable {
    private static final long serialVersionUID = 1L;

    /** A refusal described by {@code message}. */
    public InstallException(String message) {
        super(message);
    }

    /** A refusal described by {@code message}, caused by {@code cause}. */
    public InstallException(String message, Throwable cause) {
        super(message, cause);
    }
}
