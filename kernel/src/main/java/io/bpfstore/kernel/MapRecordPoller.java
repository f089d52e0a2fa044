package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.Libc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits for records on several {@link MapRecordReader}s at once: one epoll instance over all their wake-up
 * descriptors, so an idle follower sleeps in the kernel instead of polling. Closing it closes the readers.
 */
public final class MapRecordPoller implements AutoCloseable {
    private final List<MapRecordReader> readers;
    private final Fd epoll;

    /**
     * Takes over {@code readers} (closed with the poller, also when this constructor fails).
     *
     * @throws BpfException when the kernel refuses the epoll instance
     */
    public MapRecordPoller(List<MapRecordReader> readers) {
        this.readers = List.copyOf(readers);
        int fd = Libc.epollCreate();
        if (fd < 0) {
            this.readers.forEach(MapRecordReader::close);
            throw new BpfException("wait for map records", -fd, "epoll_create1 refused", "");
        }
        this.epoll = new Fd(fd);
        for (MapRecordReader r : this.readers) {
            for (int wake : r.wakeupFds()) {
                int result = Libc.epollAdd(fd, wake, Libc.EPOLLIN);
                if (result < 0) {
                    close();
                    throw new BpfException("wait for records of " + r.name(), -result, "epoll_ctl refused", "");
                }
            }
        }
    }

    /** The readers. */
    public List<MapRecordReader> readers() {
        return readers;
    }

    /**
     * Whatever the readers hold now; when that is nothing, waits up to {@code timeout} for a wake-up and reads again.
     * Empty when nothing came within {@code timeout} (or a signal interrupted the wait).
     */
    public List<MapRecord> next(Duration timeout) {
        List<MapRecord> out = pollAll();
        if (!out.isEmpty()) {
            return out;
        }
        int ready = Libc.epollWait(epoll.value(), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        return ready > 0 ? pollAll() : out;
    }

    private List<MapRecord> pollAll() {
        List<MapRecord> out = new ArrayList<>();
        for (MapRecordReader r : readers) {
            out.addAll(r.poll());
        }
        return out;
    }

    @Override
    public void close() {
        readers.forEach(MapRecordReader::close);
        epoll.close();
    }
}
