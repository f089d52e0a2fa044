package io.bpfstore.kernel.link;

import io.bpfstore.kernel.Netns;
import java.util.Objects;

/**
 * Where {@link Tcx#attach} attaches a tc program through a tcx link (kernel 6.6).
 *
 * @param device           the interface, by name or index, in {@code netns}
 * @param netns            the network namespace the interface lives in; {@link Netns#CURRENT} for the caller's
 * @param direction        ingress or egress
 * @param anchor           the position among the programs already attached ({@link Anchor#last()} by default)
 * @param expectedRevision the hook's revision the caller last saw ({@link Tcx#query}): the kernel refuses
 *                         (ESTALE) if anything was attached or detached since; 0 to skip the check
 */
public record TcxOptions(Interface device, Netns netns, Direction direction, Anchor anchor, long expectedRevision) {

    /** Checks the fields. */
    public TcxOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(anchor, "anchor");
        if (expectedRevision < 0) {
            throw new IllegalArgumentException("revision must not be negative: " + expectedRevision);
        }
    }

    /** The last position on {@code direction} of {@code device} in the current namespace, no revision check. */
    public static TcxOptions of(Interface device, Direction direction) {
        return new TcxOptions(device, Netns.CURRENT, direction, Anchor.last(), 0);
    }

    /** The same options in {@code netns}. */
    public TcxOptions inNetns(Netns netns) {
        return new TcxOptions(device, netns, direction, anchor, expectedRevision);
    }

    /** The same options at {@code anchor}. */
    public TcxOptions at(Anchor anchor) {
        return new TcxOptions(device, netns, direction, anchor, expectedRevision);
    }

    /** The same options, refused unless the hook is still at {@code revision}. */
    public TcxOptions expectingRevision(long revision) {
        return new TcxOptions(device, netns, direction, anchor, revision);
    }
}
