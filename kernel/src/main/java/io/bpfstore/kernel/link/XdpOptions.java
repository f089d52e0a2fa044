package io.bpfstore.kernel.link;

import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.Netns;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how {@link Xdp#attach} attaches an XDP program.
 *
 * @param device  the interface, by name or index, in {@code netns}
 * @param netns   the network namespace the interface lives in; {@link Netns#CURRENT} for the caller's
 * @param mode    native (driver), generic (skb), offload, or AUTO: native and then generic if the driver refuses
 * @param method  through a link (the program is detached when the last link fd or pin goes) or the legacy
 *                netlink call (attached until detached), or link with netlink as the fallback on kernels
 *                without XDP links (before 5.9)
 * @param replace the program expected on the interface now, replaced atomically (netlink only: a link's
 *                program is replaced with {@link BpfLink#update}); empty to refuse (EBUSY) if the
 *                interface already runs a program
 */
public record XdpOptions(Interface device, Netns netns, XdpMode mode, Method method, Optional<BpfProgram> replace) {

    /** How the program is attached. */
    public enum Method {
        /** BPF_LINK_CREATE with BPF_XDP (kernel 5.9). */
        LINK,
        /** RTM_SETLINK with IFLA_XDP, the legacy call. */
        NETLINK,
        /** A link; netlink if the kernel has no XDP links, or when {@code replace} asks for the netlink semantics. */
        LINK_OR_NETLINK
    }

    /** Checks the fields. */
    public XdpOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(replace, "replace");
        if (replace.isPresent() && method == Method.LINK) {
            throw new IllegalArgumentException("replace applies to netlink attachments; update a link instead");
        }
    }

    /** A link in AUTO mode on {@code device} of the current namespace, replacing nothing. */
    public static XdpOptions of(Interface device) {
        return new XdpOptions(device, Netns.CURRENT, XdpMode.AUTO, Method.LINK, Optional.empty());
    }

    /** The same options in {@code netns}. */
    public XdpOptions inNetns(Netns netns) {
        return new XdpOptions(device, netns, mode, method, replace);
    }

    /** The same options with {@code mode}. */
    public XdpOptions withMode(XdpMode mode) {
        return new XdpOptions(device, netns, mode, method, replace);
    }

    /** The same options with {@code method}. */
    public XdpOptions withMethod(Method method) {
        return new XdpOptions(device, netns, mode, method, replace);
    }

    /** The same options replacing {@code expected} (switches a LINK method to LINK_OR_NETLINK). */
    public XdpOptions replacing(BpfProgram expected) {
        return new XdpOptions(device, netns, mode, method == Method.LINK ? Method.LINK_OR_NETLINK : method,
                Optional.of(expected));
    }
}
