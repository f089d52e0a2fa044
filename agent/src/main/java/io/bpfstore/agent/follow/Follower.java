package io.bpfstore.agent.follow;

import io.bpfstore.agent.api.FollowRule;
import io.bpfstore.agent.event.AgentEvent;
import io.bpfstore.agent.event.EventKind;
import io.bpfstore.agent.event.EventSink;
import io.bpfstore.agent.local.LocalInstallations;
import io.bpfstore.install.api.InstallationView;
import io.bpfstore.install.api.UpgradeRequest;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.image.SemVer;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Polls the registry for each follow rule that is due and upgrades its installation to the newest matching version
 * through the gates every upgrade passes. One poll of one rule:
 * <ol>
 *   <li>the registry's tags (asked with {@code If-None-Match}: an unchanged list is a {@code 304}), filtered by the
 *       range, newest first; nothing newer than installed: done;</li>
 *   <li>the newest is the version already refused: done (a refusal holds until the rule changes or a newer version
 *       appears);</li>
 *   <li>{@code InstallService.upgrade}: pull, digests, signature and host policy, preflight (kernel fit and the
 *       clash check against the host as it is now), then the new generation loaded
 *       beside the old (the kernel's verifier is the trial load), map contents carried over, the links swapped;
 *       a refusal at any gate is recorded on the rule with its reason;</li>
 *   <li>after the swap, every program, link and map of the installation must be alive in the kernel; if not, the
 *       previous version is upgraded back to and the new one recorded as refused.</li>
 * </ol>
 * A registry that cannot be reached gives one {@link EventKind#FOLLOW_ERROR} event per outage, and changes nothing.
 */
public final class Follower {
    private final LocalInstallations installations;
    private final FollowRules rules;
    private final EventSink events;
    private final Clock clock;
    private final Map<String, Instant> nextPoll = new ConcurrentHashMap<>();
    private final Map<String, String> lastError = new ConcurrentHashMap<>();
    /** Per installation, the last tag list and its validator, for conditional polls. */
    private final Map<String, RegistryClient.Tags> lastTags = new ConcurrentHashMap<>();
    private final Map<String, String> lastRepository = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong conditionalHits = new java.util.concurrent.atomic.AtomicLong();

    /** A follower of {@code rules}. */
    public Follower(LocalInstallations installations, FollowRules rules, EventSink events, Clock clock) {
        this.installations = installations;
        this.rules = rules;
        this.events = events;
        this.clock = clock;
    }

    /** Polls every rule that is due (called about once a second by the agent). */
    public void pollDue() {
        Instant now = clock.instant();
        for (FollowRule rule : rules.all()) {
            if (!nextPoll.getOrDefault(rule.installation(), Instant.MIN).isAfter(now)) {
                nextPoll.put(rule.installation(), now.plusSeconds(rule.intervalSeconds()));
                poll(rule);
            }
        }
    }

    /** Polls one rule now; what it did, one line. */
    public String poll(FollowRule rule) {
        String name = rule.installation();
        Optional<InstallationView> found = installations.list().stream().filter(i -> i.name().equals(name)).findFirst();
        if (found.isEmpty()) {
            rules.remove(name);
            return event(EventKind.FOLLOW_ERROR, name, name + " is no longer installed; its follow rule is removed", Map.of());
        }
        InstallationView current = found.get();
        if (current.source().startsWith("/")) {
            return event(EventKind.FOLLOW_ERROR, name, name + " was installed from " + current.source()
                    + ", not a registry: nothing to follow", Map.of());
        }
        List<String> tags;
        try {
            tags = tags(name, installations.registry(rule.trust()), current.repository());
        } catch (RuntimeException e) {
            String reason = oneLine(e);
            if (reason.equals(lastError.put(name, reason))) {
                return "registry still unreachable";
            }
            return event(EventKind.FOLLOW_ERROR, name, "cannot ask the registry for " + current.repository() + ": "
                    + reason + "; nothing changed", Map.of());
        } finally {
            rules.update(name, r -> r.checkedAt(clock.instant().toString()));
        }
        lastError.remove(name);
        VersionRange range = new VersionRange(rule.versions());
        SemVer installed = SemVer.isValid(current.version()) ? new SemVer(current.version()) : null;
        Optional<SemVer> newest = tags.stream().filter(SemVer::isValid).map(SemVer::new).filter(range::matches)
                .max(Comparator.naturalOrder());
        if (newest.isEmpty() || (installed != null && newest.get().compareTo(installed) <= 0)) {
            return "up to date";
        }
        String version = newest.get().text();
        if (version.equals(rule.refusedVersion())) {
            return "refused before: " + rule.refusedReason();
        }
        Map<String, String> details = Map.of("from", current.version(), "to", version);
        try {
            installations.upgrade(new UpgradeRequest(name + "@" + version, Optional.empty(), false, rule.trust(), false));
        } catch (RuntimeException e) {
            return refuse(name, version, oneLine(e), details);
        }
        String dead = deadObjects(name);
        if (!dead.isEmpty()) {
            try {
                installations.upgrade(new UpgradeRequest(name + "@" + current.version(), Optional.empty(), false,
                        installations.trust(name), true)); // the rollback is a deliberate downgrade
            } catch (RuntimeException e) {
                return event(EventKind.FOLLOW_ERROR, name, version + " does not run (" + dead + ") and restoring "
                        + current.version() + " failed: " + oneLine(e) + "; run bpfstore doctor", details);
            }
            rules.update(name, r -> r.refused(version, "did not run after the swap: " + dead));
            return event(EventKind.FOLLOW_ROLLED_BACK, name, version + " did not run after the swap (" + dead
                    + "); " + current.version() + " restored", details);
        }
        return event(EventKind.FOLLOW_UPGRADED, name, "followed " + current.repository() + " from "
                + current.version() + " to " + version, details);
    }

    /**
     * The tags, asked conditionally with the validator of the last answer: an unchanged list costs the registry an
     * empty {@code 304} (bpfstore's registry sends validators; one that sends none answers in full every time).
     */
    private List<String> tags(String name, RegistryClient client, String repository) {
        RegistryClient.Tags last = lastTags.get(name);
        boolean sameRepository = last != null && repository.equals(lastRepository.get(name));
        RegistryClient.Tags now = client.tags(repository, sameRepository ? last.etag() : Optional.empty());
        if (now.unchanged() && sameRepository) {
            conditionalHits.incrementAndGet();
            return last.tags();
        }
        lastTags.put(name, now);
        lastRepository.put(name, repository);
        return now.tags();
    }

    /** How many polls the registry answered {@code 304 Not Modified} (an unchanged tag list). */
    public long unchangedPolls() {
        return conditionalHits.get();
    }

    private String deadObjects(String name) {
        try {
            return installations.status(name).objects().stream().filter(o -> !o.alive())
                    .map(o -> o.kind().label() + " " + o.name()).reduce((a, b) -> a + ", " + b).orElse("");
        } catch (RuntimeException e) {
            return "status unreadable: " + oneLine(e);
        }
    }

    private String refuse(String name, String version, String reason, Map<String, String> details) {
        rules.update(name, r -> r.refused(version, reason));
        return event(EventKind.FOLLOW_REFUSED, name, version + " refused: " + reason + " (not retried until the rule "
                + "changes or a newer version appears)", details);
    }

    private String event(EventKind kind, String name, String message, Map<String, String> details) {
        events.publish(new AgentEvent(clock.instant(), kind, Optional.of(name), message, details));
        return message;
    }

    private static String oneLine(RuntimeException e) {
        String m = String.valueOf(e.getMessage()).strip();
        return m.replaceAll("\\s*\\n\\s*", "; ");
    }
}
