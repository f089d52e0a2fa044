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
 * quiet: its file, its write-ahead log and the log index's header unchanged. Every operation commits its journal
 * entry to the log before it touches the kernel, and every commit rewrites the index header (in
 * {@code state.db-shm}: the log's frame count, salts and a change counter), which a file time's coarse tick could
 * miss; the agent keeps its connection open, so the log stays beside the file. The files are looked at before and
 * after the kernel is read; any change means the locked read.
 */
public final class StateSource implements InstallationSource {
    private final InstallLayout layout;
    private final InstallService service;
    private final Path database;
    private final Path wal;
    private final Path walIndex;
    private Quiet quiet;
    private List<Recorded> records = List.of();
    private long lockedReads;

    /** The state database's files as last seen quiet: the database's and the log's attributes, the index header. */
    private record Quiet(Attributes database, Attributes wal, String walIndexHeader) {
    }

    /** One file's identity, size and times (coarse: a kernel tick); null for a missing file. */
    private record Attributes(Object fileKey, long size, long modifiedNanos, long changedMillis) {
    }

    /** The write-ahead log index's two header copies (SQLite's file format: 2 x 48 bytes at the start of -shm). */
    private static final int WAL_INDEX_HEADER = 96;

    /** The installations of {@code layout}, read through a service of its own (opening the database per read). */
    public StateSource(InstallLayout layout) {
        this(layout, new InstallService(layout, PausePoints.none(), java.util.Map.of(), line -> { },
                io.bpfstore.store.client.ProgressBar.silent()));
    }

    /**
     * The installations of {@code layout}, read through {@code service}: the agent passes its resident one, so a locked
     * read (one after every operation, the database having changed) uses the connection the operations keep open
     * instead of opening, checking and closing one of its own while the next operation waits for the lock.
     */
    public StateSource(InstallLayout layout, InstallService service) {
        this.layout = layout;
        this.service = service;
        this.database = layout.database();
        this.wal = database.resolveSibling(database.getFileName() + "-wal");
        this.walIndex = database.resolveSibling(database.getFileName() + "-shm");
    }

    @Override
    public List<Watched> installations() {
        return read((all, l) -> {
            List<Watched> out = new ArrayList<>(all.size());
            for (Recorded r : all) {
                out.add(new Watched(r.installation(), InstallationStatus.read(r.installation(), r.pins(), l)));
            }
            return out;
        });
    }

    @Override
    public <T> T read(RecordReader<T> reader) {
        List<Recorded> known;
        Quiet seen;
        synchronized (this) {
            known = records;
            seen = quiet;
        }
        if (seen != null && seen.equals(quietNow())) {
            T out = reader.read(known, layout);
            if (seen.equals(quietNow())) {
                return out;
            }
        }
        return lockedRead(reader);
    }

    /** How many times the records were read from the state database (the rest came from the cache). */
    public synchronized long lockedReads() {
        return lockedReads;
    }

    /** Reads the records and the kernel's view under the state lock, and keeps the records for the next calls. */
    private <T> T lockedRead(RecordReader<T> reader) {
        Quiet before = quietNow();
        List<Recorded> now = List.copyOf(service.records());
        T out = reader.read(now, layout);
        synchronized (this) {
            records = now;
            quiet = before; // a change between the look and the lock only costs one more locked read
            lockedReads++;
        }
        return out;
    }

    /** The database's files as they are now, else null (which equals no cached state) when they cannot be read. */
    private Quiet quietNow() {
        try {
            Attributes db = attributes(database);
            if (db == null) {
                return null;
            }
            Attributes log = attributes(wal);
            String header = "";
            if (log != null) {
                try (java.io.InputStream in = Files.newInputStream(walIndex)) {
                    header = java.util.HexFormat.of().formatHex(in.readNBytes(WAL_INDEX_HEADER));
                } catch (NoSuchFileException e) {
                    header = "";
                }
            }
            return new Quiet(db, log, header);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Attributes attributes(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            Object ctime = Files.getAttribute(file, "unix:ctime");
            return new Attributes(a.fileKey(), a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                    ((java.nio.file.attribute.FileTime) ctime).toMillis());
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
