package io.bpfstore.kernel.link;

import io.bpfstore.kernel.Netns;
import java.util.Objects;

/**
 * Where {@link TcLegacy#attach} adds a legacy tc BPF filter (cls_bpf in direct-action mode on the clsact
 * qdisc).
 *
 * @param device    the interface, by name or index, in {@code netns}
 * @param netns     the network namespace the interface lives in; {@link Netns#CURRENT} for the caller's
 * @param direction ingress or egress (clsact's two hooks)
 * @param priority  the filter priority, 1 to 65535, lower runs first; 0 lets the kernel choose
 * @param handle    the filter handle, unique within a priority; 0 lets the kernel choose
 * @param name      the name tc shows for the filter (tc prints "file.o:[section]" for its own); empty: the
 *                  program's name
 */
public record TcOptions(Interface device, Netns netns, Direction direction, int priority, int handle, String name) {

    /** Checks the fields. */
    public TcOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(name, "name");
        if (priority < 0 || priority > 0xffff) {
            throw new IllegalArgumentException("priority must be 0 to 65535: " + priority);
        }
    }

    /** Kernel-chosen priority and handle on {@code direction} of {@code device} in the current namespace. */
    public static TcOptions of(Interface device, Direction direction) {
        return new TcOptions(device, Netns.CURRENT, direction, 0, 0, "");
    }

    /** The same options in {@code netns}. */
    public TcOptions inNetns(Netns netns) {
        return new TcOptions(device, netns, direction, priority, handle, name);
    }

    /** The same options with this priority and handle. */
    public TcOptions withPriority(int priority, int handle) {
        return new TcOptions(device, netns, direction, priority, handle, name);
    }
}
