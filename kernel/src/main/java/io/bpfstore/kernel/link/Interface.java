package io.bpfstore.kernel.link;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.netlink.InterfaceDump;
import io.bpfstore.kernel.sys.Errno;

/**
 * A network interface, by name or by index. Both are only meaningful inside one network namespace: the
 * options that take an interface also take the {@link Netns} it lives in, and resolution happens there.
 */
public sealed interface Interface {

    /** The interface named {@code name} (e.g. {@code veth0}). */
    static Interface named(String name) {
        if (name == null || name.isEmpty() || name.length() > 15) {
            throw new IllegalArgumentException("interface name must have 1 to 15 characters: \"" + name + "\"");
        }
        return new Named(name);
    }

    /** The interface with index {@code ifindex}. */
    static Interface index(int ifindex) {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("interface index must be positive: " + ifindex);
        }
        return new Index(ifindex);
    }

    /** An interface given by name. @param name the name */
    record Named(String name) implements Interface {
        @Override
        public String toString() {
            return name;
        }
    }

    /** An interface given by index. @param ifindex the index */
    record Index(int ifindex) implements Interface {
        @Override
        public String toString() {
            return "ifindex " + ifindex;
        }
    }

    /**
     * The interface as it exists in the calling thread's network namespace.
     *
     * @param what the operation, for the error message
     * @throws BpfException (ENODEV) if there is no such interface
     */
    default InterfaceDump.Interface resolve(String what) {
        for (InterfaceDump.Interface device : InterfaceDump.read()) {
            boolean match = switch (this) {
                case Named n -> device.name().equals(n.name());
                case Index i -> device.ifindex() == i.ifindex();
            };
            if (match) {
                return device;
            }
        }
        throw new BpfException(what, Errno.ENODEV.number(),
                "there is no interface " + this + " in this network namespace", "");
    }
}
