package io.bpfstore.agent.server;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.NetworkChannel;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Who is on the other end of an API connection, from the socket's peer credentials (SO_PEERCRED: the user and
 * primary group of the process that connected).
 *
 * @param user  the user name (or the uid as text when it has no name)
 * @param group the primary group name (or the gid as text)
 */
public record Caller(String user, String group) {
    /** The caller of a connection on {@code channel}; empty when the channel is not a unix socket. */
    public static Optional<Caller> of(Channel channel) {
        if (!(channel instanceof NetworkChannel network)) {
            return Optional.empty();
        }
        try {
            UnixDomainPrincipal p = network.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return Optional.of(new Caller(p.user().getName(), p.group().getName()));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Whether this caller may change installations: root, or a member (by primary group) of {@code adminGroup}. */
    public boolean mayChange(Optional<String> adminGroup) {
        return user.equals("root") || adminGroup.filter(group::equals).isPresent();
    }

    @Override
    public String toString() {
        return user + ":" + group;
    }
}
