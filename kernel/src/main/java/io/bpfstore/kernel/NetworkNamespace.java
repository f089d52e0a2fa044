package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.Libc;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code inside another network namespace. Interface indexes (XDP, tcx, netlink) are resolved in the
 * calling thread's namespace, so work on a namespace's interfaces must happen on a thread that has joined
 * it. setns(2) switches only the calling OS thread: the task runs on a fresh platform thread that joins the
 * namespace and ends afterwards, so no pooled or virtual thread is ever left in a foreign namespace.
 */
public final class NetworkNamespace {
    private NetworkNamespace() {
    }

    /**
     * Runs {@code task} on a new thread in the network namespace named by {@code nsFile} (for example
     * /run/netns/NAME as created by {@code ip netns add}, or /proc/PID/ns/net) and returns its result.
     *
     * @throws BpfException if the namespace cannot be entered (ENOENT, EPERM)
     * @throws RuntimeException whatever the task throws, unwrapped
     */
    public static <T> T run(Path nsFile, Callable<T> task) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("netns " + nsFile).start(() -> {
            int fd = Libc.open(nsFile.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (fd < 0) {
                failure.set(new BpfException("open network namespace " + nsFile, -fd, null, ""));
                return;
            }
            try (Fd ns = new Fd(fd)) {
                int joined = Libc.setns(ns.value(), Libc.CLONE_NEWNET);
                if (joined < 0) {
                    failure.set(new BpfException("enter network namespace " + nsFile, -joined, null, ""));
                    return;
                }
                result.set(task.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while working in network namespace " + nsFile, e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException("in network namespace " + nsFile + ": " + t.getMessage(), t);
        }
        return result.get();
    }
}
