package io.bpfstore.agent;

import io.bpfstore.agent.event.AgentEvent;
import io.bpfstore.agent.event.EventKind;
import io.bpfstore.agent.event.EventSink;
import io.bpfstore.agent.local.LocalInstallations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Restore at the agent's start: every recorded installation none of whose kernel objects is alive (after a reboot
 * the pins and links are gone) is re-created by {@code InstallService.restore} from the package the state database
 * keeps, through the gates of a fresh install with the admission options it was installed with (digest, host
 * policy, preflight's kernel fit and clash check against the host as it is now, the verifier). One that no longer
 * passes stays out, with the reason as a {@link EventKind#RESTORE_REFUSED} event (and in {@code doctor}). Map
 * contents start empty: the maps died with the boot.
 */
final class Restore {
    private final LocalInstallations installations;
    private final EventSink events;

    Restore(LocalInstallations installations, EventSink events) {
        this.installations = installations;
        this.events = events;
    }

    /** Restores what needs it; one line per installation restored or kept out. */
    List<String> run() {
        List<String> lines = new ArrayList<>();
        installations.service().restoreGone(installations::trust, (i, reinstall) -> {
            Map<String, String> details = Map.of("package", i.repository(), "version", i.version(), "digest", i.digest());
            try {
                reinstall.get();
                events.publish(new AgentEvent(Instant.now(), EventKind.RESTORED, Optional.of(i.name()),
                        i.repository() + " " + i.version() + " re-created on " + i.target(), details));
                lines.add("restored " + i.name());
            } catch (RuntimeException e) {
                String reason = String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\n\\s*", "; ");
                events.publish(new AgentEvent(Instant.now(), EventKind.RESTORE_REFUSED, Optional.of(i.name()),
                        i.repository() + " " + i.version() + " kept out: " + reason, details));
                lines.add("kept out " + i.name() + ": " + reason);
            }
        });
        return lines;
    }
}
