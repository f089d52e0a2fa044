package io.bpfstore.vm.load;

/** An object the VM cannot run: an unsupported map type, a kfunc or kernel-variable reference, a bad call. */
public final class VmLoadException extends RuntimeException {
    /** @param message what and where, in one line */
    public VmLoadException(String message) {
        super(message);
    }
}
