package io.bpfstore.agent.watch;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * inotify on bpfstore's bpffs folder (through the JDK's {@link WatchService}, which is inotify on Linux): every
 * folder under it is watched, and a pin removed or created anywhere wakes the watch at once instead of at its next
 * poll. New folders (a new installation or generation) are registered on the next {@link #refresh}.
 */
final class BpffsNotifier implements AutoCloseable {
    private final Path root;
    private final WatchService service;
    private final Set<Path> registered = new HashSet<>();
    private final Thread thread;

    private BpffsNotifier(Path root, WatchService service, Runnable onChange) {
        this.root = root;
        this.service = service;
        this.thread = Thread.ofPlatform().daemon().name("bpfstore-watch-bpffs").unstarted(() -> loop(onChange));
    }

    /** Watches {@code root} and calls {@code onChange} (from its own thread) when something under it changes. */
    static BpffsNotifier start(Path root, Runnable onChange) throws IOException {
        BpffsNotifier n = new BpffsNotifier(root, FileSystems.getDefault().newWatchService(), onChange);
        n.refresh();
        n.thread.start();
        return n;
    }

    /** Registers folders created since the last call. */
    synchronized void refresh() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path dir : s.filter(Files::isDirectory).toList()) {
                if (registered.add(dir)) {
                    dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // a folder removed while walking: the next refresh sees the tree as it is
        }
    }

    private void loop(Runnable onChange) {
        try {
            while (true) {
                WatchKey key = service.take();
                key.pollEvents();
                if (!key.reset()) {
                    synchronized (this) {
                        registered.remove((Path) key.watchable());
                    }
                }
                onChange.run();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        service.close();
    }
}
