package io.bpfstore.agent.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.agent.api.AgentJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Logger;

/**
 * The agent's events: the last {@value #KEPT} in memory for {@code GET /v1/events}, appended as JSON lines to
 * {@code events.jsonl} in the state directory (so {@code doctor} and a restarted agent can show why something was
 * kept out), logged, and handed to every live subscriber ({@code GET /v1/events?follow=true}).
 */
public final class EventLog implements EventSink {
    /** Events kept in memory. */
    public static final int KEPT = 1000;
    /** Events file size at which it starts over (the previous one is kept as {@code events.jsonl.1}). */
    static final long MAX_FILE = 4L << 20;
    /** Events a slow subscriber may fall behind before it is dropped. */
    static final int SUBSCRIBER_BACKLOG = 10_000;
    private static final Logger LOG = Logger.getLogger("bpfstore.agent");

    private final Optional<Path> file;
    private final ArrayDeque<AgentEvent> recent = new ArrayDeque<>();
    private final List<BlockingQueue<AgentEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final List<EventSink> listeners = new CopyOnWriteArrayList<>();

    /** A log appending to {@code file} when given. */
    public EventLog(Optional<Path> file) {
        this.file = file;
        file.ifPresent(this::readBack);
    }

    @Override
    public void publish(AgentEvent event) {
        synchronized (recent) {
            recent.addLast(event);
            if (recent.size() > KEPT) {
                recent.removeFirst();
            }
            file.ifPresent(f -> append(f, event));
        }
        LOG.info(event.kind().label() + event.installation().map(i -> " " + i).orElse("") + ": " + event.message());
        for (BlockingQueue<AgentEvent> q : subscribers) {
            if (!q.offer(event)) {
                subscribers.remove(q);
            }
        }
        listeners.forEach(l -> l.publish(event));
    }

    /** Adds a sink that sees every event (metrics count them). */
    public void addListener(EventSink sink) {
        listeners.add(sink);
    }

    /** Events kept, oldest first, optionally only those of {@code installation}. */
    public List<AgentEvent> recent(Optional<String> installation) {
        synchronized (recent) {
            return recent.stream().filter(e -> installation.isEmpty() || e.installation().equals(installation)).toList();
        }
    }

    /** A queue receiving every event from now on; {@link #unsubscribe} it when done. */
    public BlockingQueue<AgentEvent> subscribe() {
        BlockingQueue<AgentEvent> q = new LinkedBlockingQueue<>(SUBSCRIBER_BACKLOG);
        subscribers.add(q);
        return q;
    }

    /** Stops delivering to {@code q}. */
    public void unsubscribe(BlockingQueue<AgentEvent> q) {
        subscribers.remove(q);
    }

    /** Whether {@code q} is still subscribed (a subscriber that fell too far behind is dropped). */
    public boolean subscribed(BlockingQueue<AgentEvent> q) {
        return subscribers.contains(q);
    }

    /** An event as the API's JSON object. */
    public static ObjectNode toJson(AgentEvent e) {
        ObjectNode n = AgentJson.mapper().createObjectNode();
        n.put("time", e.time().toString());
        n.put("kind", e.kind().label());
        e.installation().ifPresent(i -> n.put("installation", i));
        n.put("message", e.message());
        ObjectNode details = n.putObject("details");
        e.details().forEach(details::put);
        return n;
    }

    /** The event a JSON object describes (as {@link #toJson} writes it). */
    public static AgentEvent fromJson(JsonNode n) {
        Map<String, String> details = new java.util.LinkedHashMap<>();
        n.path("details").properties().forEach(p -> details.put(p.getKey(), p.getValue().asText()));
        return new AgentEvent(Instant.parse(n.path("time").asText()),
                EventKind.valueOf(n.path("kind").asText().toUpperCase(java.util.Locale.ROOT)),
                Optional.ofNullable(n.get("installation")).map(JsonNode::asText), n.path("message").asText(), details);
    }

    private static void append(Path f, AgentEvent event) {
        try {
            if (Files.exists(f) && Files.size(f) > MAX_FILE) {
                Files.move(f, f.resolveSibling(f.getFileName() + ".1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(f, AgentJson.mapper().writeValueAsString(toJson(event)) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warning("cannot append to " + f + ": " + e.getMessage());
        }
    }

    private void readBack(Path f) {
        if (!Files.exists(f)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            List<AgentEvent> read = new ArrayList<>();
            for (Iterator<String> it = lines.subList(Math.max(0, lines.size() - KEPT), lines.size()).iterator(); it.hasNext(); ) {
                String line = it.next();
                try {
                    read.add(fromJson(AgentJson.mapper().readTree(line)));
                } catch (IOException | RuntimeException bad) {
                    // a line torn by a crash while appending: skip it
                }
            }
            recent.addAll(read);
        } catch (IOException e) {
            throw new UncheckedIOException("read " + f + ": " + e.getMessage(), e);
        }
    }
}
