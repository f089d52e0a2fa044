package io.bpfstore.vm.load;

import io.bpfstore.bytecode.Reportable;

/** An object the VM cannot run: an unsupported map type, a kfunc or kernel-variable reference, a bad call. */
public final class VmLoadException extends RuntimeException implements Reportable {
    /** @param message what and where, in one line */
    public VmLoadException(String message) {
        super(message);
    }
}
