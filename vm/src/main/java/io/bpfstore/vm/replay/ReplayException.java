package io.bpfstore.vm.replay;

/** A replay that cannot start: a package with no XDP program, an unsupported helper or map, too many orders. */
public final class ReplayException extends RuntimeException {
    /** @param message what and which package, in one line */
    public ReplayException(String message) {
        super(message);
    }
}
