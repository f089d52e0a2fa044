package io.bpfstore.install;

import io.bpfstore.kernel.link.Direction;
import io.bpfstore.kernel.link.Interface;
import io.bpfstore.kernel.link.TcOptions;
import java.util.Optional;

/**
 * A legacy tc filter an installation owns, as the state database records it: its identity on the hook (a filter
 * has no fd and no pin, so this is how a later command finds it again) and the program it must run — a filter
 * running anything else was changed by another tool and is left alone.
 *
 * @param installation the installation id
 * @param program      the program's name in the package
 * @param iface        the interface name
 * @param netns        the network namespace name, empty for bpfstore's own
 * @param direction    ingress or egress
 * @param priority     the tc priority (lower runs first)
 * @param handle       the filter handle within the priority
 * @param programId    the kernel id of the program the filter runs (recorded before it is added or replaced)
 * @param createdQdisc whether bpfstore created the clsact qdisc (then it removes it once it is empty)
 */
public record LegacyFilter(String installation, String program, String iface, Optional<String> netns,
                           Direction direction, int priority, int handle, int programId, boolean createdQdisc) {

    /** The filter's name on the hook ({@code tc filter show} prints it): says who added it. */
    String filterName() {
        return "bpfstore:" + installation + ":" + program;
    }

    /** The kernel module's options naming this filter. */
    TcOptions options() {
        return new TcOptions(Interface.named(iface), HookTarget.netnsOf(netns), direction, priority, handle, filterName());
    }

    /** The same filter running {@code id}. */
    LegacyFilter running(int id) {
        return new LegacyFilter(installation, program, iface, netns, direction, priority, handle, id, createdQdisc);
    }

    /** The same filter with the qdisc flag {@code created}. */
    LegacyFilter withCreatedQdisc(boolean created) {
        return new LegacyFilter(installation, program, iface, netns, direction, priority, handle, programId, created);
    }

    /** The filter in words, for messages. */
    String describe() {
        return "tc filter " + program + " on " + iface + " " + direction.name().toLowerCase() + " priority " + priority
                + " handle 0x" + Integer.toHexString(handle) + netns.map(n -> " (netns " + n + ")").orElse("");
    }
}
