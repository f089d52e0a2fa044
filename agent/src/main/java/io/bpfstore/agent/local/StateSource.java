package io.bpfstore.agent.local;

import io.bpfstore.agent.watch.InstallationSource;
import io.bpfstore.install.InstallLayout;
import io.bpfstore.install.InstallationStatus;
import io.bpfstore.install.InstallService;
import io.bpfstore.install.InstallService.Recorded;
import io.bpfstore.install.PausePoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The installations of a layout for the agent's watch and metrics. The records (installations and their pins) are
 * read from the state database under the state directory's lock (the same lock every install, upgrade and
 * uninstall holds), so a read never sees an operation half done; what the kernel says about each installation's
 * pins is read at every call.
 *
 * <p>Reading the records costs ~0.5 ms per installation (each row carries its object's bytes), most of a
 * {@code /metrics} scrape with hundreds of installations, so they are kept between calls while the database is
 * quiet: its file unchanged (an operation's close checkpoints into it) and no write-ahead log beside it (every
 * operation writes its journal entry there before it touches the kernel, and a closed one leaves none). The file
 * is looked at before and after the kernel is read; any change, or a log present, means the locked read.
 */
public final class StateSource implements InstallationSource {
    private final InstallLayout layout;
    private final InstallService service;
    private final Path database;
    private final Path wal;
    private Quiet quiet;
    private List<Recorded> records = List.of();
    private long lockedReads;

    /** The state database's file as last seen quiet: identity, size and times (coarse: a kernel tick). */
    private record Quiet(Object fileKey, long size, long modifiedNanos, long changedMillis) {
    }

    /** The installations of {@code layout}. */
    public StateSource(InstallLayout layout) {
        this.layout = layout;
        this.service = new InstallService(layout, PausePoints.none(), java.util.Map.of(), line -> { },
                io.bpfstore.store.client.ProgressBar.silent());
        this.database = layout.database();
        this.wal = database.resolveSibling(database.getFileName() + "-wal");
    }

    @Override
    public List<Watched> installations() {
        List<Recorded> known;
        Quiet seen;
        synchronized (this) {
            known = records;
            seen = quiet;
        }
        if (seen != null && seen.equals(quietNow())) {
            List<Watched> out = read(known);
            if (seen.equals(quietNow())) {
                return out;
            }
        }
        return lockedRead();
    }

    /** How many times the records were read from the state database (the rest came from the cache). */
    public synchronized long lockedReads() {
        return lockedReads;
    }

    /** Reads the records and the kernel's view under the state lock, and keeps the records for the next calls. */
    private List<Watched> lockedRead() {
        Quiet before = quietNow();
        List<Recorded> now = service.records();
        List<Watched> out = read(now);
        synchronized (this) {
            records = List.copyOf(now);
            quiet = before; // a change between the look and the lock only costs one more locked read
            lockedReads++;
        }
        return out;
    }

    private List<Watched> read(List<Recorded> all) {
        List<Watched> out = new ArrayList<>(all.size());
        for (Recorded r : all) {
            out.add(new Watched(r.installation(), InstallationStatus.read(r.installation(), r.pins(), layout)));
        }
        return out;
    }

    /** The database file when quiet (no write-ahead log beside it), else null (which equals no cached state). */
    private Quiet quietNow() {
        if (Files.exists(wal)) {
            return null;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(database, BasicFileAttributes.class);
            Object ctime = Files.getAttribute(database, "unix:ctime");
            return new Quiet(a.fileKey(), a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                    ((java.nio.file.attribute.FileTime) ctime).toMillis());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }
}
