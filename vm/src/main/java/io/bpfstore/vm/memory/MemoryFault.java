package io.bpfstore.vm.memory;

/** An access outside every region, outside a region's bounds, or a write to read-only memory. */
public final class MemoryFault extends RuntimeException {
    /** @param reason what was accessed and why it is refused */
    public MemoryFault(String reason) {
        super(reason);
    }
}
