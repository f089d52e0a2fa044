package io.bpfstore.agent.watch;

import io.bpfstore.agent.event.AgentEvent;
import io.bpfstore.agent.event.EventSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Watches the host for changes others make to bpfstore's installations and publishes each as an
 * {@link AgentEvent}: a foreign program at an installation's hook (in the clash check's words), a link detached,
 * pins removed, the interface, namespace or cgroup gone. An event is published when a condition appears, once;
 * when it clears and comes back, again.
 *
 * <p>Sources: inotify on the bpffs folder wakes it at once when pins go; everything else (links detached with
 * BPF_LINK_DETACH, programs attached through netlink, tcx or cgroup, interfaces and namespaces removed) is found by
 * a look every {@code interval} (default 500 ms). docs/agent-observe.md gives the latency measured for each.
 *
 * <p>Usage: {@code try (HostWatch w = HostWatch.start(new InstallerSource(installer), sink, HostWatch.Options.defaults(bpffs))) {...}}
 */
public final class HostWatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.bpfstore.agent.watch");

    private final InstallationSource source;
    private final EventSink sink;
    private final Options options;
    private final ForeignPrograms foreign = new ForeignPrograms();
    private final Object wake = new Object();
    private Set<String> present = Set.of();
    private boolean woken;
    private volatile boolean closed;
    private Thread thread;
    private BpffsNotifier notifier;

    /**
     * How the watch runs.
     *
     * @param interval how often it looks at the kernel (the latency bound of every change without a notification)
     * @param bpffs    bpfstore's bpffs folder, watched with inotify; empty for none
     * @param clock    the time events carry
     */
    public record Options(Duration interval, Optional<Path> bpffs, Clock clock) {
        /** Looks every 500 ms and watches {@code bpffs}. */
        public static Options defaults(Path bpffs) {
            return new Options(Duration.ofMillis(500), Optional.of(bpffs), Clock.systemUTC());
        }
    }

    private HostWatch(InstallationSource source, EventSink sink, Options options) {
        this.source = source;
        this.sink = sink;
        this.options = options;
    }

    /**
     * Starts watching: takes a first look (conditions already present then are published too: a start after a
     * crash should say what is wrong), then one per interval or notification.
     */
    public static HostWatch start(InstallationSource source, EventSink sink, Options options) throws IOException {
        HostWatch w = new HostWatch(source, sink, options);
        if (options.bpffs().isPresent()) {
            w.notifier = BpffsNotifier.start(options.bpffs().get(), w::wake);
        }
        w.thread = Thread.ofPlatform().daemon().name("bpfstore-watch").start(w::loop);
        return w;
    }

    /** A watch that looks only when {@link #look} is called (for tests and for the agent's own checks). */
    public static HostWatch manual(InstallationSource source, EventSink sink, Clock clock) {
        return new HostWatch(source, sink, new Options(Duration.ofDays(1), Optional.empty(), clock));
    }

    /** Asks for a look now (from a notification source). */
    public void wake() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                look();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "watch: one look at the host failed: " + e.getMessage(), e);
            }
            synchronized (wake) {
                long until = System.nanoTime() + options.interval().toNanos();
                while (!woken && !closed && System.nanoTime() < until) {
                    try {
                        wake.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    /**
     * Looks at the host once and publishes the conditions that appeared since the last look.
     *
     * @return the events published
     */
    public synchronized List<AgentEvent> look() {
        List<InstallationSource.Watched> all = source.installations();
        Set<Integer> owned = new HashSet<>();
        for (InstallationSource.Watched w : all) {
            owned.addAll(InstallationCheck.ownPrograms(w));
        }
        Map<String, Condition> now = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        InstallationCheck.Targets targets = new InstallationCheck.Targets();
        for (InstallationSource.Watched w : all) {
            ids.add(w.installation().id());
            List<Condition> conditions = new ArrayList<>(InstallationCheck.check(w, targets));
            if (conditions.stream().noneMatch(c -> c.kind() == io.bpfstore.agent.event.EventKind.TARGET_GONE)) {
                conditions.addAll(foreign.check(w, owned));
            }
            conditions.forEach(c -> now.put(c.key(), c));
        }
        foreign.retain(ids);
        List<Condition> appeared = now.values().stream().filter(c -> !present.contains(c.key())).toList();
        List<AgentEvent> published = new ArrayList<>();
        if (!appeared.isEmpty()) {
            // An operation of bpfstore's own (an uninstall) may have run between the status and now: report only
            // what still concerns an installation recorded with the same generation.
            Map<String, Integer> still = new HashMap<>();
            source.installations().forEach(w -> still.put(w.installation().id(), w.installation().generation()));
            Map<String, Integer> looked = new HashMap<>();
            all.forEach(w -> looked.put(w.installation().id(), w.installation().generation()));
            Instant time = options.clock().instant();
            for (Condition c : appeared) {
                if (looked.get(c.installation()).equals(still.get(c.installation()))) {
                    AgentEvent e = c.event(time);
                    LOG.log(System.Logger.Level.WARNING, e.message());
                    sink.publish(e);
                    published.add(e);
                } else {
                    now.remove(c.key());
                }
            }
        }
        present = Set.copyOf(now.keySet());
        if (notifier != null) {
            notifier.refresh();
        }
        return published;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        wake();
        if (notifier != null) {
            notifier.close();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
