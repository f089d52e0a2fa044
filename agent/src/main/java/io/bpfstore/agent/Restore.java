package io.bpfstore.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.agent.event.AgentEvent;
import io.bpfstore.agent.event.EventKind;
import io.bpfstore.agent.event.EventSink;
import io.bpfstore.agent.local.LocalInstallations;
import io.bpfstore.install.InstallRequest;
import io.bpfstore.install.Installation;
import io.bpfstore.install.PolicyGate;
import io.bpfstore.install.ResolvedPackage;
import io.bpfstore.store.image.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Restore at the agent's start: every recorded installation whose kernel objects are gone (after a reboot the pins
 * and links are) is re-created from the package the state database keeps (the object's bytes and its digest),
 * through the gates of a fresh install: the object's digest where it is the object's own, the host policy as it is
 * now, target selection and the clash check against the host as it is now (install's preflight), and the kernel's
 * verifier. A package that no longer passes stays out; the reason goes to the events (and so to {@code bpfstore
 * events} and the log). Map contents are not restored: maps start empty, as the kernel's objects died with the boot.
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
        List<Installation> gone = new ArrayList<>();
        for (Installation i : installations.installations()) {
            if (allGone(i)) {
                gone.add(i);
            }
        }
        for (Installation i : gone) {
            installations.withInstaller(in -> {
                in.forget(i.id());
                return null;
            });
        }
        List<String> lines = new ArrayList<>();
        for (Installation i : gone) {
            lines.add(restore(i));
        }
        return lines;
    }

    /**
     * Whether none of {@code i}'s programs, maps and links is alive (a reboot, or its bpffs unmounted). An
     * installation that lost only some objects is left to {@code doctor}: something else removed them.
     */
    private boolean allGone(Installation i) {
        JsonNode status = installations.status(i.id());
        for (JsonNode o : status.path("objects")) {
            if (o.path("alive").asBoolean()) {
                return false;
            }
        }
        return true;
    }

    private String restore(Installation i) {
        ResolvedPackage pkg = i.pkg();
        Map<String, String> details = Map.of("package", pkg.repository(), "version", pkg.version(), "digest", pkg.digest());
        try {
            if (!isImage(pkg) && !pkg.digest().equals(Digest.of(pkg.object()).toString())) {
                throw new IllegalStateException("the kept object's sha256 is not its recorded digest " + pkg.digest());
            }
            PolicyGate.decide(installations.admission().policy(installations.trust(i.id())), pkg).requireAllowed();
            installations.withInstaller(in -> in.install(new InstallRequest(pkg, Optional.of(i.id()), i.target(),
                    i.programs().size() == 1 ? Optional.of(i.programs().getFirst()) : Optional.empty(),
                    Optional.of(i.priority()), i.target().kind().equals("xdp") ? Optional.of(i.proceedOn())
                    : Optional.empty(), i.forced(), false)));
            events.publish(new AgentEvent(java.time.Instant.now(), EventKind.RESTORED, Optional.of(i.id()),
                    pkg.repository() + " " + pkg.version() + " re-created on " + i.target().describe(), details));
            return "restored " + i.id();
        } catch (RuntimeException e) {
            String reason = String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\n\\s*", "; ");
            events.publish(new AgentEvent(java.time.Instant.now(), EventKind.RESTORE_REFUSED, Optional.of(i.id()),
                    pkg.repository() + " " + pkg.version() + " kept out: " + reason, details));
            return "kept out " + i.id() + ": " + reason;
        }
    }

    /** Whether the digest is an image manifest's (a layout or registry package) rather than the object's own. */
    private static boolean isImage(ResolvedPackage pkg) {
        return !pkg.source().endsWith(".o");
    }
}
